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
import type { Context, DefaultState, Middleware } from 'koa';

/** `ctx.session`: the typed `Session`, data keys as properties, and koa-session's and express-session's members. */
export type KoaSession<Data extends SessionData = SessionData> = CompatSession<Data>;

/**
 * Options of {@link session}: the manager's (`store`, `cookieName`, `cookieAge`, …, see `@sess/core`), plus
 * `eager`, `cookieFor` and `policy`, each a function of the context when it varies per request; or a
 * prebuilt `manager`.
 */
export type KoaSessionOptions<Data extends SessionData = SessionData> = AdapterInput<Data, Context>;

/**
 * What the middleware adds to `ctx`. Chained `app.use(session<Data>(…))` types it for the middleware that
 * follows; or merge it into Koa's `DefaultContext` once for the whole app.
 */
export interface SessionContext<Data extends SessionData = SessionData> {
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession(): Promise<KoaSession<Data>>;
  /**
   * The session once loaded (`eager`, or after `await ctx.getSession()`); reading it before throws
   * `SessionNotLoaded`, naming both. `ctx.session = null` ends the session with the response (as in
   * koa-session); `ctx.session = { … }` replaces its data. Null after `ctx.session = null`.
   */
  get session(): KoaSession<Data>;
  set session(value: KoaSession<Data> | Partial<Data> | null);
  /**
   * Commits the session now and sets its headers on the response. The middleware does it after the
   * downstream middleware; call it yourself before writing a response with `ctx.respond = false`.
   */
  commitSession(): Promise<void>;
}

/** The middleware, with the manager every request goes through. */
export type KoaSessionMiddleware<Data extends SessionData = SessionData> = Middleware<
  DefaultState,
  SessionContext<Data>
> & { readonly manager: SessionManager<Data> };

const IDIOMS: CompatIdioms = { source: '@sess/koa', property: 'ctx.session', regenerate: 'new-key' };

/** The request's binding, on the context. */
const bound = Symbol('sess.koa.binding');
type Carrier = { [bound]?: RequestBinding<SessionData> };

/**
 * One request through the middleware, as one object: what the kit reads off the context
 * (`RequestFacts`) and how it reaches the response (`ResponseAccess`, `HeaderSink`). Headers are written
 * on Node's response itself, which Koa's `ctx.set` and `ctx.append` end up writing to anyway (they add
 * their own argument checks, which the kit's values need not pass again).
 */
class Exchange implements RequestFacts, ResponseAccess, HeaderSink {
  readonly cookieHeader: string;

  constructor(readonly ctx: Context) {
    this.cookieHeader = ctx.get('Cookie');
  }

  header(name: string): string | undefined {
    return this.ctx.get(name) || undefined;
  }

  secure(): boolean {
    return this.ctx.secure;
  }

  status(): number {
    return this.ctx.status;
  }

  get headers(): HeaderSink {
    return this;
  }

  get(name: string): ReturnType<HeaderSink['get']> {
    return this.ctx.res.getHeader(name);
  }

  set(name: string, value: string): void {
    this.ctx.res.setHeader(name, value);
  }

  append(name: string, value: string): void {
    this.ctx.res.appendHeader(name, value);
  }
}

/** The getters and methods every context of an app shares (defined once on `app.context`). */
const contextMembers: PropertyDescriptorMap = {
  session: {
    get(this: Carrier) {
      return this[bound]?.read();
    },
    set(this: Carrier, value: unknown) {
      const binding = this[bound];
      if (!binding)
        throw new TypeError('[@sess/koa] ctx.session: the session middleware did not run for this request');
      binding.assign(value);
    },
    configurable: true,
    enumerable: true,
  },
  getSession: {
    value(this: Carrier) {
      const binding = this[bound];
      if (!binding)
        return Promise.reject(
          new TypeError('[@sess/koa] getSession(): the session middleware did not run for this request'),
        );
      return binding.getSession();
    },
    configurable: true,
    writable: true,
  },
  commitSession: {
    value(this: Carrier) {
      return this[bound]?.commitNow() ?? Promise.resolve();
    },
    configurable: true,
    writable: true,
  },
};
const prepared = new WeakSet<object>();
/** The prototype the last request's context had: an app's contexts all share one. */
let lastPrepared: object | undefined;

/**
 * Koa 2/3 middleware. Loads the session lazily on `await ctx.getSession()` (or before the downstream
 * middleware with `eager`) and commits it after them, before Koa sends the response. A store failure in the
 * commit is thrown into Koa's error handling, so the response is an error and carries no session cookie.
 * When the downstream middleware throws, nothing is committed.
 */
export function session<Data extends SessionData = SessionData>(
  options: KoaSessionOptions<Data>,
  app?: unknown,
): KoaSessionMiddleware<Data> {
  const adapter = createSessionAdapter<Data, Context>(options, IDIOMS, app);

  const middleware: Middleware<DefaultState, SessionContext<Data>> = async (context, next) => {
    const ctx = context as unknown as Context & Carrier;
    // Mounted twice (or two middlewares): the first one to see the context owns its session.
    if (ctx[bound]) {
      await next();
      return;
    }
    const proto = Object.getPrototypeOf(ctx) as object;
    if (proto !== lastPrepared && !prepared.has(proto)) {
      Object.defineProperties(proto, contextMembers);
      prepared.add(proto);
    }
    lastPrepared = proto;
    const exchange = new Exchange(ctx);
    const binding = adapter.open(ctx, exchange, exchange);
    ctx[bound] = binding as unknown as RequestBinding<SessionData>;
    if (adapter.eager(ctx)) await binding.getSession();
    await next();
    // A handler that writes the response itself commits first (ctx.commitSession()); too late here.
    if (ctx.respond === false || ctx.headerSent) return;
    await binding.commitNow();
  };

  return Object.assign(middleware, { manager: adapter.manager });
}
