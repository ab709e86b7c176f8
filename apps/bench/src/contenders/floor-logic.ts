import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { COOKIE_AGE_SECONDS, SECRET, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';

/** What a floor handler answers. */
export interface FloorReply {
  status: number;
  body: string;
  setCookie?: string;
}

/** The three routes of every contender, framework-free. */
export interface FloorHandlers {
  handle(path: string, cookieHeader: string | undefined): Promise<FloorReply> | FloorReply;
}

const ATTRIBUTES = `; Max-Age=${COOKIE_AGE_SECONDS}; Path=/; HttpOnly; Secure; SameSite=Lax`;
const notFound: FloorReply = { status: 404, body: 'not found' };
const staticReply: FloorReply = { status: 200, body: STATIC_BODY };

/** The value of cookie `name` in a `Cookie` header, by hand: no parser, no decoding. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const needle = `${name}=`;
  let at = header.startsWith(needle) ? 0 : header.indexOf(`; ${needle}`);
  if (at < 0) return undefined;
  if (at > 0) at += 2;
  const start = at + needle.length;
  const end = header.indexOf(';', start);
  return header.slice(start, end < 0 ? undefined : end);
}

type Data = Record<string, unknown>;

/**
 * Where a server-side floor keeps its sessions: the JSON of one session by id, with a time to live. The
 * least any engine needs: one read to load, one write (with the expiry) to save.
 */
export interface FloorStore {
  get(id: string): Promise<string | undefined> | string | undefined;
  set(id: string, json: string, ttlMs: number): Promise<void> | void;
}

/**
 * The least a server-side session needs: a random id in an HMAC-SHA256-signed cookie (key made once,
 * timing-safe compare), one read to load and one write (with the expiry) to save, on any `FloorStore`.
 */
export function serverFloor(store: FloorStore): FloorHandlers {
  const key = createSecretKey(Buffer.from(SECRET));
  const sign = (id: string): string => createHmac('sha256', key).update(id).digest('base64url');
  const ttlMs = COOKIE_AGE_SECONDS * 1000;

  function idFrom(header: string | undefined): string | undefined {
    const value = cookieValue(header, 'sid');
    const dot = value?.indexOf('.') ?? -1;
    if (value === undefined || dot < 0) return undefined;
    const id = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(sign(id));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  async function load(id: string | undefined): Promise<Data | undefined> {
    if (id === undefined) return undefined;
    const json = await store.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as Data);
  }

  return {
    async handle(path, header) {
      if (path === '/static') return staticReply;
      if (path === '/read') {
        const data = await load(idFrom(header));
        return { status: 200, body: visitsBody(visitsOf(data?.[VISITS])) };
      }
      if (path !== '/visit') return notFound;
      let id = idFrom(header);
      let data = await load(id);
      if (data === undefined || id === undefined) {
        data = {};
        id = randomBytes(18).toString('base64url');
      }
      const visits = visitsOf(data[VISITS]) + 1;
      data[VISITS] = visits;
      await store.set(id, JSON.stringify(data), ttlMs);
      return { status: 200, body: visitsBody(visits), setCookie: `sid=${id}.${sign(id)}${ATTRIBUTES}` };
    },
  };
}

/** The cookie floor's two functions, for timing them alone (`src/codecs.ts`). */
export interface CookieFloorCodec {
  /** The data sealed into a cookie value. */
  seal(data: Data): string;
  /** The data of the session cookie in a `Cookie` header, or undefined when absent, forged or expired. */
  open(header: string | undefined): Data | undefined;
}

/**
 * The least a cookie session needs: the data sealed with AES-256-GCM (key derived once with HKDF, random
 * 96-bit nonce, the cookie name as associated data) with its expiry inside, checked on open.
 */
export function cookieFloor(): FloorHandlers & CookieFloorCodec {
  const key = Buffer.from(hkdfSync('sha256', SECRET, '', 'bench floor aes-gcm', 32));
  const name = 'session';
  const aad = Buffer.from(name);

  function seal(data: Data): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const plain = JSON.stringify({ exp: Date.now() + COOKIE_AGE_SECONDS * 1000, data });
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return body.toString('base64url');
  }

  function open(header: string | undefined): Data | undefined {
    const value = cookieValue(header, name);
    if (value === undefined) return undefined;
    const raw = Buffer.from(value, 'base64url');
    if (raw.length < 29) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(aad);
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
      const { exp, data } = JSON.parse(plain.toString('utf8')) as { exp: number; data: Data };
      return exp > Date.now() ? data : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    handle(path, header) {
      if (path === '/static') return staticReply;
      if (path === '/read') return { status: 200, body: visitsBody(visitsOf(open(header)?.[VISITS])) };
      if (path !== '/visit') return notFound;
      const data = open(header) ?? {};
      const visits = visitsOf(data[VISITS]) + 1;
      data[VISITS] = visits;
      return { status: 200, body: visitsBody(visits), setCookie: `${name}=${seal(data)}${ATTRIBUTES}` };
    },
    seal,
    open,
  };
}
