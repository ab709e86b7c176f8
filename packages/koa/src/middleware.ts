import type {
  CommitResult,
  RequestSession,
  Session,
  SessionData,
  SessionManager,
  SessionRequest,
} from '@sess/core';
import type { Context, DefaultState, Middleware } from 'koa';
import { type KoaSessionOptions, resolveKoaOptions } from './options.js';

/**
 * What the middleware adds to `ctx`. Chained `app.use(session<Data>(…))` types it for the middleware that
 * follows; or merge it into Koa's `DefaultContext` once for the whole app.
 */
export interface SessionContext<Data extends SessionData = SessionData> {
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession(): Promise<Session<Data>>;
  /** The session once loaded (`eager`, or after `await ctx.getSession()`), else undefined. */
  readonly session: Session<Data> | undefined;
  /**
   * Commits the session now and sets its headers on `ctx.res`. The middleware does it after the downstream
   * middleware; call it yourself before writing a response with `ctx.respond = false`.
   */
  commitSession(): Promise<void>;
}

/** The middleware, with the manager every request goes through. */
export type KoaSessionMiddleware<Data extends SessionData = SessionData> = Middleware<
  DefaultState,
  SessionContext<Data>
> & { readonly manager: SessionManager<Data> };

/** The request's session, behind the getter of `ctx.session`. */
const opened = Symbol('sess.koa.request');

type Carrier = { [opened]?: RequestSession<SessionData> };

// One getter for every request (the descriptor is shared, not rebuilt); `this` is the context.
const sessionProperty: PropertyDescriptor = {
  get(this: Carrier) {
    return this[opened]?.session;
  },
  configurable: true,
  enumerable: true,
};

/**
 * Koa 2/3 middleware. Loads the session lazily on `await ctx.getSession()` (or before the downstream
 * middleware with `eager`) and commits it after them, before Koa sends the response. A store failure in the
 * commit is thrown into Koa's error handling, so the response is an error and carries no session cookie.
 * When the downstream middleware throws, nothing is committed.
 */
export function session<Data extends SessionData = SessionData>(
  options: KoaSessionOptions<Data>,
): KoaSessionMiddleware<Data> {
  const { manager, eager, cookie, policy } = resolveKoaOptions(options);
  // Only `cookieSecure: 'auto'` looks at the protocol; working it out parses X-Forwarded-Proto behind a proxy.
  const readsProtocol = manager.options.cookieSecure === 'auto';

  const middleware: Middleware<DefaultState, SessionContext<Data>> = async (ctx, next) => {
    // Mounted twice (or two middlewares): the first one to see the context owns its session.
    if ((ctx as Carrier)[opened]) {
      await next();
      return;
    }
    const overrides = cookie?.(ctx as unknown as Context);
    const routePolicy = policy(ctx as unknown as Context);
    const input: SessionRequest = {
      cookieHeader: ctx.get('Cookie'),
      header: (name) => ctx.get(name) || undefined,
    };
    if (readsProtocol) input.secure = ctx.secure;
    if (overrides) input.cookie = overrides;
    if (routePolicy) input.policy = routePolicy;
    const request = manager.open(input);
    let committed = false;
    const commitSession = async (): Promise<void> => {
      if (committed) return;
      committed = true;
      applyCommit(ctx as unknown as Context, await request.commit(ctx.status));
    };
    // One defineProperty per property: V8 runs Object.defineProperties with a literal several times slower.
    (ctx as Carrier)[opened] = request as unknown as RequestSession<SessionData>;
    Object.defineProperty(ctx, 'getSession', {
      value: () => request.load(),
      configurable: true,
      writable: true,
    });
    Object.defineProperty(ctx, 'session', sessionProperty);
    Object.defineProperty(ctx, 'commitSession', { value: commitSession, configurable: true, writable: true });

    if (eager(ctx as unknown as Context)) await request.load();
    await next();
    // A handler that writes the response itself commits first (ctx.commitSession()); too late here.
    if (ctx.respond === false || ctx.headerSent) return;
    await commitSession();
  };

  return Object.assign(middleware, { manager });
}

/**
 * Copies the commit's directives onto the response. A response that sets or clears the session's
 * credential (a cookie, or the key header) gets `Cache-Control: no-store`, so no cache hands it to
 * another user.
 */
export function applyCommit(ctx: Context, result: CommitResult): void {
  for (const value of result.setCookie) ctx.append('Set-Cookie', value);
  for (const [name, value] of result.headers ?? []) ctx.set(name, value);
  if (result.setCookie.length > 0 || (result.headers?.length ?? 0) > 0) ctx.set('Cache-Control', 'no-store');
  if (result.vary) ctx.vary(result.varyHeader ?? 'Cookie');
}
