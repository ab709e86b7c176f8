import { type SessionData, type SessionManager, SessionNotLoaded } from '@sess/core';
import {
  type AdapterInput,
  type CompatIdioms,
  type CompatSession,
  createSessionAdapter,
} from '@sess/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import { commitResponse, PendingResponse, requestFacts } from './fetch-adapter.js';

/** `c.var.session`: the typed `Session`, data keys as properties, and the Node peers' members. */
export type HonoSession<Data extends SessionData = SessionData> = CompatSession<Data>;

/** The variables the middleware sets on the context, typed through Hono's `Variables`. */
export interface SessionVariables<Data extends SessionData = SessionData> {
  /**
   * The session once loaded (`eager`, or after `await c.var.getSession()`); any use of it before throws
   * `SessionNotLoaded`, naming both. After `session.regenerate()`, the new session.
   */
  session: HonoSession<Data>;
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession: () => Promise<HonoSession<Data>>;
}

/**
 * The Hono environment of an app (or route) behind the middleware: `new Hono<SessionEnv<Data>>()`, or
 * chained, `new Hono().use(session<Data>(…))`.
 */
export type SessionEnv<Data extends SessionData = SessionData> = { Variables: SessionVariables<Data> };

/**
 * Options of {@link session}: the manager's (`store`, `cookieName`, `cookieAge`, …, see `@sess/core`), plus
 * `eager`, `cookieFor` and `policy`, each a function of the context when it varies per request; or a
 * prebuilt `manager`.
 */
export type HonoSessionOptions<Data extends SessionData = SessionData> = AdapterInput<Data, Context>;

/** The middleware, with the manager every request goes through. */
export type HonoSessionMiddleware<Data extends SessionData = SessionData> = MiddlewareHandler<
  SessionEnv<Data>
> & { readonly manager: SessionManager<Data> };

const IDIOMS: CompatIdioms = { source: '@sess/hono', property: 'c.var.session', regenerate: 'new-session' };

/** `c.var.session` before the load: every use throws the kit's `SessionNotLoaded`. */
const NOT_LOADED = new Proxy(Object.freeze({}), {
  get: notLoaded,
  set: notLoaded,
  has: notLoaded,
  ownKeys: notLoaded,
  deleteProperty: notLoaded,
  getOwnPropertyDescriptor: notLoaded,
}) as HonoSession<never>;

function notLoaded(): never {
  throw new SessionNotLoaded(IDIOMS.source, IDIOMS.property);
}

/** Contexts a session middleware already opened (mounted twice, the first one owns the session). */
const opened = new WeakSet<Context>();

/**
 * Hono 4 middleware, on web-standard `Request`/`Response` only. Loads the session lazily on
 * `await c.var.getSession()` (or before `next()` with `eager`) and commits it after the handler, into
 * `c.res`. A store failure in the commit is thrown into Hono's error handling (`app.onError`), so the
 * response is an error and carries no session cookie. When the handler failed (`c.error`), nothing is
 * committed.
 */
export function session<Data extends SessionData = SessionData>(
  options: HonoSessionOptions<Data>,
): HonoSessionMiddleware<Data> {
  const adapter = createSessionAdapter<Data, Context>(options, IDIOMS);

  const middleware: MiddlewareHandler<SessionEnv<Data>> = async (c, next) => {
    if (opened.has(c)) return next();
    opened.add(c);
    const pending = new PendingResponse();
    const binding = adapter.open(c, requestFacts(c.req.raw), pending);
    // Hono's variables are values, not getters: show each session object the request gets, and the new one
    // after express-session's regenerate().
    binding.onReplace((shown) => c.set('session', shown));
    const getSession = () =>
      binding.getSession().then((loaded) => {
        if (c.get('session') === NOT_LOADED) c.set('session', loaded);
        return c.get('session');
      });
    c.set('session', NOT_LOADED as HonoSession<Data>);
    c.set('getSession', getSession);
    if (adapter.eager(c)) await getSession();
    await next();
    if (c.error) return;
    const response = c.res;
    const committed = await commitResponse(binding, response, pending);
    if (committed !== response) {
      // Replaces the response without merging the old one's headers into it (Hono's documented way).
      c.res = undefined;
      c.res = committed;
    }
  };

  return Object.assign(middleware, { manager: adapter.manager });
}
