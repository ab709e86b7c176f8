/**
 * `pnpm --dir apps/bench codecs`: what sealing and opening one session cookie costs, in process, for the
 * three sealed-cookie designs of the line-up: sess's sealer (AES-256-GCM through `node:crypto`, as
 * `createCookieStore({ secretKey })` runs it), the hand-written AES-256-GCM floor's two functions, and
 * @fastify/secure-session's own `encodeSecureSession` / `decodeSecureSession` (libsodium's secretbox,
 * XSalsa20-Poly1305, through the `sodium-native` addon). Each is timed alone on the same session data, in
 * rounds; the median round is printed, in microseconds per call.
 */
import fastifySecureSession from '@fastify/secure-session';
import { createSealer } from '@sess/core/codecs';
import Fastify from 'fastify';
import { cookieFloor } from './contenders/floor-logic.js';
import { COOKIE_AGE_SECONDS, SECRET } from './contenders/shared.js';

const CALLS = 100_000;
const ROUNDS = 7;
const DATA = { visits: 41, _auth_user_id: '1042', cart: [3, 7, 11] };

interface SecureSessionApp {
  encodeSecureSession(session: unknown): string;
  decodeSecureSession(cookie: string): unknown;
  createSecureSession(data: unknown): unknown;
}

/** Median over rounds of the µs per call of `body`. */
function time(body: () => unknown): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let call = 0; call < CALLS; call++) body();
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)] as number;
}

const sealer = createSealer({ secrets: [SECRET] });
const now = Math.floor(Date.now() / 1000);
const claims = { name: 'sessionid', iat: now, exp: now + COOKIE_AGE_SECONDS };
const sealed = sealer.seal(DATA, claims);
if (sealer.open(sealed, { name: 'sessionid', nowMs: Date.now() }) === null)
  throw new Error('sess: no round trip');

const floor = cookieFloor();
const floorCookie = floor.seal(DATA);
if (floor.open(`session=${floorCookie}`) === undefined) throw new Error('floor: no round trip');

const app = Fastify();
app.register(fastifySecureSession, { key: Buffer.alloc(32, 7), expiry: COOKIE_AGE_SECONDS });
await app.ready();
const peer = app as unknown as SecureSessionApp;
const peerSession = peer.createSecureSession(DATA);
const peerCookie = peer.encodeSecureSession(peerSession);
if (peer.decodeSecureSession(peerCookie) === null) throw new Error('secure-session: no round trip');

const rows = [
  [
    'sess sealer (AES-256-GCM, node:crypto)',
    () => sealer.seal(DATA, claims),
    () => sealer.open(sealed, { name: 'sessionid', nowMs: Date.now() }),
  ],
  ['floor (AES-256-GCM, node:crypto)', () => floor.seal(DATA), () => floor.open(`session=${floorCookie}`)],
  [
    '@fastify/secure-session (secretbox, sodium-native)',
    () => peer.encodeSecureSession(peerSession),
    () => peer.decodeSecureSession(peerCookie),
  ],
] as const;

console.log(
  `µs per call, median of ${ROUNDS} rounds of ${CALLS.toLocaleString('en')} calls (Node ${process.version})`,
);
console.log('codec'.padEnd(52), 'seal'.padStart(6), 'open'.padStart(6), 'both'.padStart(6));
for (const [name, seal, open] of rows) {
  const sealUs = time(seal);
  const openUs = time(open);
  console.log(
    name.padEnd(52),
    sealUs.toFixed(2).padStart(6),
    openUs.toFixed(2).padStart(6),
    (sealUs + openUs).toFixed(2).padStart(6),
  );
}
await app.close();
