import { IncomingMessage, type ServerResponse } from 'node:http';
import {
  type CommitResult,
  type CookieJar,
  parseCookieHeader,
  type RequestSession,
  type SessionData,
  type SessionManager,
  type SessionRequest,
} from '@sess/core';
import { type CompatHost, compatSession, type ExpressSession } from './compat-session.js';
import { type HoldHooks, holdResponse } from './hold-response.js';
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

/** The state of each request the middleware opened: WeakMaps, so nothing is added to `req` itself. */
const states = new WeakMap<object, RequestState<SessionData>>();
/** Marks a prototype that carries this module's `getSession` and `session`. */
const installed = Symbol('sess.express.fields');

function notOpened(): TypeError {
  return new TypeError('[@sess/express] getSession(): the session middleware did not run for this request');
}

/** The getter of `req.session`, one for every request. */
function sessionOf(this: object): unknown {
  return states.get(this)?.current;
}
const sessionProperty: PropertyDescriptor = { get: sessionOf, configurable: true, enumerable: true };

/**
 * Where to define `getSession` and `session` for `req`, or null to define them on `req` itself. Express gives
 * every request its app's prototype (`Object.setPrototypeOf`), after which V8 builds a new hidden class for
 * each property added to the request (microseconds each, and slower reads of it afterwards). Under Express
 * they are defined once on the prototype just below `IncomingMessage.prototype` (Express's own request
 * object, shared by every app and sub-app) and read the request's state from a WeakMap: `undefined` for a
 * request the middleware did not open, which may still assign its own `session` (another session library).
 */
function sharedPrototypeOf(req: IncomingMessage): object | null {
  let proto = Object.getPrototypeOf(req) as object | null;
  if (proto === IncomingMessage.prototype || Object.hasOwn(req, 'session')) return null;
  while (proto !== null) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === IncomingMessage.prototype) break;
    proto = next;
  }
  if (proto === null) return null;
  if (Object.hasOwn(proto, installed)) return proto;
  if (Object.hasOwn(proto, 'session') || Object.hasOwn(proto, 'getSession')) return null;
  Object.defineProperty(proto, 'getSession', {
    value: function getSession(this: object) {
      const state = states.get(this);
      return state ? state.getSession() : Promise.reject(notOpened());
    },
    configurable: true,
    writable: true,
  });
  Object.defineProperty(proto, 'session', {
    get: sessionOf,
    set(this: object, value: unknown) {
      if (states.has(this)) {
        throw new TypeError('[@sess/express] req.session is read-only: use its methods, or req.getSession()');
      }
      Object.defineProperty(this, 'session', { value, writable: true, enumerable: true, configurable: true });
    },
    configurable: true,
    enumerable: true,
  });
  Object.defineProperty(proto, installed, { value: true });
  return proto;
}

/** One request's session as the middleware handles it: loading, `req.session`, and the commit hook. */
class RequestState<Data extends SessionData> implements HoldHooks, CompatHost<Data> {
  current: ExpressSession<Data> | undefined;
  requested = false;
  // A session whose load or store operation failed is not committed: the error answers instead.
  storeFailed = false;

  constructor(
    readonly manager: SessionManager<Data>,
    readonly request: RequestSession<Data>,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly failed: (error: unknown) => void,
  ) {}

  async getSession(): Promise<ExpressSession<Data>> {
    this.requested = true;
    try {
      const loaded = await this.request.load();
      this.current ??= compatSession(loaded, this);
      return this.current;
    } catch (error) {
      this.storeFailed = true;
      throw error;
    }
  }

  beforeHeaders(status: number): Promise<void> | undefined {
    const { request, manager } = this;
    const loads = this.requested || (manager.options.saveEveryRequest && request.hadCookie);
    // After a store failure the error is on its way to next(): commit nothing, send no cookie.
    if (!loads || this.storeFailed) {
      request.commit(status).catch(() => {});
      return undefined;
    }
    return request.commit(status).then((result) => applyCommit(this.res, result));
  }

  // CompatHost: what req.session's express-session methods need from the request.
  storeOperationFailed(): void {
    this.storeFailed = true;
  }

  replace(next: ExpressSession<Data>): void {
    this.current = next;
  }

  async loadStored(key: string | null): Promise<SessionData | null> {
    const { backend, cookieName } = this.manager.options;
    const jar = key !== null ? singleCookie(cookieName, key) : parseCookieHeader(this.req.headers.cookie);
    const loaded = await backend.load(jar, cookieName);
    return loaded ? loaded.data : null;
  }
}

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
  // Only `cookieSecure: 'auto'` looks at the protocol; Express works it out from X-Forwarded-Proto each time.
  const readsProtocol = manager.options.cookieSecure === 'auto';

  const middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (states.has(req)) {
      next();
      return;
    }
    const overrides = cookie?.(req);
    const routePolicy = policy(req);
    const input: SessionRequest = {
      cookieHeader: req.headers.cookie,
      header: (name) => headerOf(req, name),
    };
    if (readsProtocol) input.secure = isSecure(req);
    if (overrides) input.cookie = overrides;
    if (routePolicy) input.policy = routePolicy;
    const state = new RequestState(manager, manager.open(input), req, res, next);
    states.set(req, state as unknown as RequestState<SessionData>);
    if (!sharedPrototypeOf(req)) {
      Object.defineProperty(req, 'getSession', {
        value: () => state.getSession(),
        configurable: true,
        writable: true,
      });
      Object.defineProperty(req, 'session', sessionProperty);
    }
    holdResponse(res, state);

    if (eager(req)) state.getSession().then(() => next(), next);
    else next();
  };

  return Object.assign(middleware, {
    manager,
    getSession(req: IncomingMessage): Promise<ExpressSession<Data>> {
      const state = states.get(req) as RequestState<Data> | undefined;
      if (!state) return Promise.reject(notOpened());
      return state.getSession();
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
  if (before === undefined) {
    res.setHeader('Vary', field);
    return;
  }
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
