import type { SessionData, SessionManager } from '@sess/core';
import type { AdapterInput, CompatSession } from '@sess/core/adapter';
import type { FastifyRequest } from 'fastify';

/**
 * The shape of your session data, for `request.session` and `request.getSession()`. Empty here: merge your
 * keys into it once for the whole app (the way @fastify/session's `Session` interface is merged):
 *
 * ```ts
 * declare module '@sess/fastify' {
 *   interface FastifySessionData { num_visits: number; passport: number }
 * }
 * ```
 *
 * Until something is merged, the session takes any key (`SessionData`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: the point of merging for the app's data.
export interface FastifySessionData {}

/** The data type every typed member uses: the merged {@link FastifySessionData}, or any key when empty. */
export type SessionDataOf = keyof FastifySessionData extends never
  ? SessionData
  : { [K in keyof FastifySessionData]: FastifySessionData[K] };

/**
 * `request.session`: the typed `Session` of @sess/core, data keys as properties, and the members
 * @fastify/session users and @fastify/passport call (`get`/`set`, `regenerate(keysToKeep)`, `sessionId`,
 * `save`, `destroy`, `reload`, `touch`, `options`, `isModified`, `isSaved`, `cookie`, `data()`).
 */
export type FastifySession<Data extends SessionData = SessionDataOf> = CompatSession<Data> & {
  /** A deep copy of the data (as @fastify/secure-session's `data()`); @fastify/passport keeps data through it. */
  data(): Data;
};

/**
 * Options of the {@link session} plugin: the manager's (`store`, `cookieName`, `cookieAge`, …, see
 * `@sess/core`), plus `eager`, `cookieFor` and `policy`, each a function of the request when it varies per
 * request; or a prebuilt `manager`.
 */
export type FastifySessionOptions<Data extends SessionData = SessionDataOf> = AdapterInput<
  Data,
  FastifyRequest
>;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Loads the session once (no store I/O until called, unless `eager`) and returns it; later and
     * concurrent calls return the same object.
     */
    getSession(): Promise<FastifySession>;
    /**
     * The session once loaded (`eager`, or after `await request.getSession()`); reading it before throws
     * `SessionNotLoaded`, naming both. `request.session = null` ends the session with the response;
     * `request.session = { … }` replaces its data. Undefined after `destroy()`.
     */
    get session(): FastifySession;
    set session(value: FastifySession | Partial<SessionDataOf> | null);
  }
  interface FastifyInstance {
    /** The manager of the @sess/fastify plugin registered in this scope (or an enclosing one). */
    readonly sessionManager: SessionManager<SessionDataOf>;
  }
}
