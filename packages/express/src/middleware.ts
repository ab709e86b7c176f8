import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CommitResult,
  type CookieJar,
  parseCookieHeader,
  type SessionData,
  type SessionManager,
  type SessionRequest,
} from '@sess/core';
import { type CompatHost, compatSession, type ExpressSession } from './compat-session.js';
import { holdResponse } from './hold-response.js';
import { type ExpressSessionOptions, resolveExpressOptions } from './options.js';

/** The fields the middleware adds to `req`; merge them into Express's `Request` for typed `req.session`. */
export interface SessionRequestFields<Data extends SessionData = SessionData> {
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession(): Promise<ExpressSession<Data>>;
  /** The session once loaded (`eager`, or after `await req.getSession()`), else undefined. */
  readonly session: ExpressSession<Data> | undefined;
}

/** The middleware, with typed access to the session of a request (no declaration merging needed). */
export interface SessionMiddleware<Data extends SessionData = SessionData> {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** The manager every request goes through. */
  readonly manager: SessionManager<Data>;
  /** `req.getSession()`, typed: loads the session of `req` once and returns it. */
  getSession(req: IncomingMessage): Promise<ExpressSession<Data>>;
}

const fields = Symbol('sess.express.request');

type Carrier<Data extends SessionData> = IncomingMessage & {
  [fields]?: SessionRequestFields<Data>;
};

/**
 * Express 4/5 middleware. Loads the session lazily on `await req.getSession()` (or before the handler with
 * `eager`), and commits it before the response's headers go out: the response is held from its first
 * `writeHead`/`write`/`end` until the store has answered, so `res.redirect`, `res.json`, `res.sendFile` and
 * streams carry the cookie, and a store failure reaches `next(err)` before anything was sent.
 */
export function session<Data extends SessionData = SessionData>(
  options: ExpressSessionOptions<Data>,
): SessionMiddleware<Data> {
  const { manager, eager, cookie, policy } = resolveExpressOptions(options);

  const middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const carrier = req as Carrier<Data>;
    if (carrier[fields]) {
      next();
      return;
    }
    const overrides = cookie?.(req);
    const routePolicy = policy(req);
    const opened: SessionRequest = {
      cookieHeader: req.headers.cookie,
      secure: isSecure(req),
      header: (name) => headerOf(req, name),
      ...(overrides ? { cookie: overrides } : {}),
      ...(routePolicy ? { policy: routePolicy } : {}),
    };
    const request = manager.open(opened);
    let current: ExpressSession<Data> | undefined;
    let requested = false;
    // A session whose load or store operation failed is not committed: the error answers instead.
    let storeFailed = false;

    const host: CompatHost<Data> = {
      replace: (next) => {
        current = next;
      },
      loadStored: async (key) => {
        const { backend, cookieName } = manager.options;
        const jar = key !== null ? singleCookie(cookieName, key) : parseCookieHeader(req.headers.cookie);
        const loaded = await backend.load(jar, cookieName);
        return loaded ? loaded.data : null;
      },
      failed: () => {
        storeFailed = true;
      },
    };

    const getSession = async (): Promise<ExpressSession<Data>> => {
      requested = true;
      try {
        const loaded = await request.load();
        current ??= compatSession(loaded, host);
        return current;
      } catch (error) {
        storeFailed = true;
        throw error;
      }
    };
    const own: SessionRequestFields<Data> = {
      getSession,
      get session() {
        return current;
      },
    };
    carrier[fields] = own;
    Object.defineProperty(req, 'getSession', { value: getSession, configurable: true, writable: true });
    Object.defineProperty(req, 'session', { get: () => current, configurable: true, enumerable: true });

    holdResponse(res, {
      beforeHeaders(status) {
        const loads = requested || (manager.options.saveEveryRequest && request.hadCookie);
        // After a store failure the error is on its way to next(): commit nothing, send no cookie.
        if (!loads || storeFailed) {
          request.commit(status).catch(() => {});
          return undefined;
        }
        return request.commit(status).then((result) => applyCommit(res, result));
      },
      failed: next,
    });

    if (eager(req)) getSession().then(() => next(), next);
    else next();
  };

  return Object.assign(middleware, {
    manager,
    getSession(req: IncomingMessage): Promise<ExpressSession<Data>> {
      const own = (req as Carrier<Data>)[fields];
      if (!own) {
        return Promise.reject(
          new TypeError('[@sess/express] getSession(): the session middleware did not run for this request'),
        );
      }
      return own.getSession();
    },
  });
}

/**
 * Copies the commit's directives onto the response, before its headers go out. A response that sets or
 * clears the session's credential (a cookie, or the key header) gets `Cache-Control: no-store`, so no
 * cache hands it to another user.
 */
export function applyCommit(res: ServerResponse, result: CommitResult): void {
  for (const value of result.setCookie) res.appendHeader('Set-Cookie', value);
  for (const [name, value] of result.headers ?? []) res.setHeader(name, value);
  if (result.setCookie.length > 0 || (result.headers?.length ?? 0) > 0)
    res.setHeader('Cache-Control', 'no-store');
  if (result.vary) addVary(res, result.varyHeader ?? 'Cookie');
}

function addVary(res: ServerResponse, field: string): void {
  const before = res.getHeader('Vary');
  const list = (Array.isArray(before) ? before.join(',') : String(before ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (list.includes('*') || list.some((name) => name.toLowerCase() === field.toLowerCase())) return;
  res.setHeader('Vary', [...list, field].join(', '));
}

function isSecure(req: IncomingMessage): boolean {
  const express = (req as { secure?: unknown }).secure;
  if (typeof express === 'boolean') return express;
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function singleCookie(name: string, value: string): CookieJar {
  return { get: (wanted) => (wanted === name ? value : undefined), names: () => [name] };
}
