import http from 'node:http';

/** One request through an app, resolved once the response has been ended. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** A node:http request listener, as every framework gives one (it may or may not return a promise). */
export type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** Who waits for each response's `end()` to run (Node's own `end`, after any wrapper let it through). */
const ended = new WeakMap<http.ServerResponse, () => void>();
const nodeEnd = http.ServerResponse.prototype.end;
// Patched on the prototype, not on each response: an own `end` on the response would change how a session
// middleware that wraps the response's methods sets itself up, and so what is measured.
http.ServerResponse.prototype.end = function end(this: http.ServerResponse, ...args: unknown[]) {
  const out = (nodeEnd as (...a: unknown[]) => unknown).apply(this, args);
  ended.get(this)?.();
  return out;
} as typeof nodeEnd;

/**
 * A listener as a `Handler` that resolves when the response is ended, the same way for every framework
 * (Express and Fastify return nothing to wait on; Koa and Hono may resolve before or after `end()`).
 */
export function handlerOf(listener: Listener): Handler {
  return (req, res) =>
    new Promise<void>((done, fail) => {
      ended.set(res, done);
      const out = listener(req, res);
      if (out instanceof Promise) out.catch(fail);
    });
}
