import { IncomingMessage, type ServerResponse } from 'node:http';
import type { SessionData, SessionManager } from '@sess/core';
import {
  type AdapterInput,
  type CompatIdioms,
  type CompatSession,
  createSessionAdapter,
  type HeaderSink,
  type RequestBinding,
  type RequestFacts,
  type ResponseAccess,
} from '@sess/core/adapter';
import { perAppPrototype } from './app-prototype.js';
import { type HoldHooks, holdResponse } from './hold-response.js';

/** `req.session`: the typed `Session`, data keys as properties, and express-session's methods and `cookie`. */
export type ExpressSession<Data extends SessionData = SessionData> = CompatSession<Data>;

/**
 * Options of {@link session}: the manager's (`store`, `cookieName`, `cookieAge`, …, see `@sess/core`), plus
 * `eager`, `cookieFor` and `policy`, each a function of the request when it varies; or a prebuilt `manager`.
 */
export type ExpressSessionOptions<Data extends SessionData = SessionData> = AdapterInput<
  Data,
  IncomingMessage
>;

/** The fields the middleware adds to `req`; merge them into Express's `Request` for typed `req.session`. */
export interface SessionRequestFields<Data extends SessionData = SessionData> {
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession(): Promise<ExpressSession<Data>>;
  /**
   * The session once loaded (`eager`, or after `await req.getSession()`); reading it before throws
   * `SessionNotLoaded`, naming both. Undefined after `req.session.destroy()`, null after `req.session = null`
   * (which ends the session with the response).
   */
  session: ExpressSession<Data>;
  /** express-session's `req.sessionID`: the session's key (reserved for a new one when first read). */
  readonly sessionID: string;
}

/** The middleware, with typed access to the session of a request (no declaration merging needed). */
export interface SessionMiddleware<Data extends SessionData = SessionData> {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** The manager every request goes through. */
  readonly manager: SessionManager<Data>;
  /** `req.getSession()`, typed: loads the session of `req` once and returns it. */
  getSession(req: IncomingMessage): Promise<ExpressSession<Data>>;
}

const IDIOMS: CompatIdioms = { source: '@sess/express', property: 'req.session', regenerate: 'new-session' };

/** The binding of each request the middleware opened: a WeakMap, so nothing is added to `req` itself. */
const states = new WeakMap<object, RequestBinding<SessionData>>();
/** Marks a prototype that carries this module's `getSession`, `session` and `sessionID`. */
const installed = Symbol('sess.express.fields');

function notOpened(): TypeError {
  return new TypeError('[@sess/express] getSession(): the session middleware did not run for this request');
}

const fields: PropertyDescriptorMap = {
  getSession: {
    value(this: object) {
      const binding = states.get(this);
      return binding ? binding.getSession() : Promise.reject(notOpened());
    },
    configurable: true,
    writable: true,
  },
  session: {
    get(this: object) {
      return states.get(this)?.read();
    },
    set(this: object, value: unknown) {
      const binding = states.get(this);
      if (binding) {
        binding.assign(value);
        return;
      }
      // A request this middleware did not open may carry another library's session.
      Object.defineProperty(this, 'session', { value, writable: true, enumerable: true, configurable: true });
    },
    configurable: true,
    enumerable: true,
  },
  sessionID: {
    get(this: object) {
      return states.get(this)?.id ?? undefined;
    },
    set(this: object, value: unknown) {
      if (states.has(this)) {
        throw new TypeError("[@sess/express] req.sessionID is the session's key: it cannot be assigned");
      }
      // A request this middleware did not open may carry another library's session id (express-session).
      Object.defineProperty(this, 'sessionID', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
    configurable: true,
    enumerable: true,
  },
};

/**
 * Where to define the request fields, or null to define them on `req` itself: under Express, once on its
 * request object (see `app-prototype.ts`), where they read the request's binding from a WeakMap.
 */
function sharedPrototypeOf(req: IncomingMessage): object | null {
  const own = Object.getPrototypeOf(req) as object | null;
  if (own === null || own === IncomingMessage.prototype || Object.hasOwn(req, 'session')) return null;
  return fieldsPrototypeOf(own);
}

/** Defines the fields on Express's request object, once per app, or null when another library has them. */
const fieldsPrototypeOf = perAppPrototype(IncomingMessage.prototype, (proto) => {
  if (Object.hasOwn(proto, installed)) return proto;
  if (['session', 'getSession', 'sessionID'].some((name) => Object.hasOwn(proto, name))) return null;
  Object.defineProperties(proto, fields);
  Object.defineProperty(proto, installed, { value: true });
  return proto;
});

/**
 * One request through the middleware, as one object: what the kit reads off the request (`RequestFacts`),
 * how it reaches the response (`ResponseAccess`, `HeaderSink`), and what runs when the held response first
 * tries to send its headers (`HoldHooks`). A request keeps this one object rather than a dozen closures.
 *
 * Once the response has gone it lets go of the request, the response and `next`: the request's binding
 * stays in `states` (keyed by the request) for reads of `req.session` afterwards, and V8's young-generation
 * collector keeps a WeakMap entry whose value reaches its own key alive until a full collection, with the
 * whole request behind it (Express requests are kept longest of all: each gets a new prototype).
 */
class Exchange implements RequestFacts, ResponseAccess, HeaderSink, HoldHooks {
  readonly cookieHeader: string | undefined;
  binding!: RequestBinding<SessionData>;
  #req: IncomingMessage | null;
  #res: ServerResponse | null;
  #next: ((error?: unknown) => void) | null;
  /** The status the response went with, once it went. */
  #status = 0;

  constructor(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) {
    this.#req = req;
    this.#res = res;
    this.#next = next;
    this.cookieHeader = req.headers.cookie;
  }

  header(name: string): string | undefined {
    const value = this.#req?.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  secure(): boolean {
    const req = this.#req;
    if (!req) return false;
    const express = (req as { secure?: unknown }).secure;
    if (typeof express === 'boolean') return express;
    return (req.socket as { encrypted?: boolean }).encrypted === true;
  }

  status(): number {
    return this.#res?.statusCode ?? this.#status;
  }

  get headers(): HeaderSink {
    return this;
  }

  get(name: string): ReturnType<HeaderSink['get']> {
    return this.#response().getHeader(name);
  }

  set(name: string, value: string): void {
    this.#response().setHeader(name, value);
  }

  append(name: string, value: string): void {
    this.#response().appendHeader(name, value);
  }

  beforeHeaders(status: number): Promise<void> | undefined {
    return this.binding.commitBeforeHeaders(status, this);
  }

  failed(error: unknown): void {
    this.#next?.(error);
  }

  finished(): void {
    this.#status = this.#res?.statusCode ?? this.#status;
    this.#req = null;
    this.#res = null;
    this.#next = null;
  }

  #response(): ServerResponse {
    const res = this.#res;
    if (!res)
      throw new Error('[@sess/express] the response has already been sent: its headers cannot change');
    return res;
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
  const adapter = createSessionAdapter<Data, IncomingMessage>(options, IDIOMS);

  const middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (states.has(req)) {
      next();
      return;
    }
    const exchange = new Exchange(req, res, next);
    const binding = adapter.open(req, exchange, exchange);
    exchange.binding = binding as unknown as RequestBinding<SessionData>;
    states.set(req, exchange.binding);
    if (!sharedPrototypeOf(req)) Object.defineProperties(req, fields);
    holdResponse(res, exchange);

    if (adapter.eager(req)) binding.getSession().then(() => next(), next);
    else next();
  };

  return Object.assign(middleware, {
    manager: adapter.manager,
    getSession(req: IncomingMessage): Promise<ExpressSession<Data>> {
      const binding = states.get(req) as RequestBinding<Data> | undefined;
      if (!binding) return Promise.reject(notOpened());
      return binding.getSession();
    },
  });
}
