import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Running } from './types.js';

/** One secret for every contender that signs or seals (≥ 32 characters for AES-GCM key derivation). */
export const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** Django's SESSION_COOKIE_AGE (two weeks), used by every contender. */
export const COOKIE_AGE_SECONDS = 1_209_600;

/** The session key of the LocalLibrary counter (Django tutorial: `request.session['num_visits']`). */
export const VISITS = 'num_visits';

/** The body every contender answers on `/static`. */
export const STATIC_BODY = 'ok';

/** The counter's body. */
export const visitsBody = (visits: number): string => `visits: ${visits}`;

/** Reads the counter from whatever the session library returned. */
export const visitsOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** Listens on loopback and resolves with the URL and a close that also runs `release`. */
export function listen(
  handler: RequestListener,
  port: number,
  release: () => Promise<void> = async () => {},
): Promise<Running> {
  const server = createServer(handler);
  // wrk keeps its connections open for the whole run; the defaults would drop idle ones after 5 s.
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await release();
        },
      });
    });
  });
}
