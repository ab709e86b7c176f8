import http from 'node:http';
import { Socket } from 'node:net';
import type { Handler } from './handler.js';

/**
 * One fake `GET /visit` behind a TLS-terminating proxy (`x-forwarded-proto: https`), with `cookie` if given:
 * a real `IncomingMessage` and `ServerResponse` on an unconnected socket, so no I/O and no event-loop turn
 * between requests. The response keeps what was written (`outputData`), for `bodyOf`.
 */
export async function visit(handler: Handler, cookie: string | undefined): Promise<http.ServerResponse> {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/visit';
  req.headers = { host: 'bench', 'x-forwarded-proto': 'https', ...(cookie ? { cookie } : {}) };
  const res = new http.ServerResponse(req);
  await handler(req, res);
  return res;
}

/** What a fake response wrote, status line and headers included (kept while there is no socket to flush to). */
function writtenBy(res: http.ServerResponse): string {
  const chunks = (res as unknown as { outputData?: { data: string | Uint8Array }[] }).outputData ?? [];
  return chunks.map(({ data }) => (typeof data === 'string' ? data : Buffer.from(data).toString())).join('');
}

/**
 * The `name=value` part of the response's first `Set-Cookie`, if it sets one, read from what was written
 * (Fastify and Hono pass their headers to `writeHead`, where `getHeader` does not see them).
 */
export function cookieOf(res: http.ServerResponse): string | undefined {
  const written = writtenBy(res);
  const head = written.slice(0, Math.max(0, written.indexOf('\r\n\r\n')));
  const line = head.split('\r\n').find((header) => /^set-cookie:/i.test(header));
  return line
    ?.slice(line.indexOf(':') + 1)
    .trim()
    .split(';')[0];
}

/** The body of a fake response. */
export function bodyOf(res: http.ServerResponse): string {
  const written = writtenBy(res);
  const start = written.indexOf('\r\n\r\n');
  return start < 0 ? written : written.slice(start + 4);
}
