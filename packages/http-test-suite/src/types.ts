import type {
  Clock,
  CookieOverrides,
  RoutePolicy,
  Session,
  SessionData,
  SessionManagerOptions,
} from '@sess/core';
import type { BackendProvider, SessionStore } from '@sess/core/store';

/** What a suite route sees of a request, whatever the framework. */
export interface SuiteRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  /** The adapter's `getSession()` (`ctx.getSession()`, `req.getSession()`). */
  getSession(): Promise<Session<SessionData>>;
  /**
   * The adapter's synchronous `session` property (`ctx.session`, `req.session`): the session once loaded;
   * reading it before throws `SessionNotLoaded`.
   */
  readonly session: Session<SessionData> | null | undefined;
}

/** What a suite route answers; the adapter sends it as it would any response. */
export interface SuiteResponse {
  /** @default 200 */
  status?: number;
  /** Sent as `text/plain`. @default '' */
  body?: string;
}

/** A route of the suite: one handler serves every path of a test server. A rejection is an error response. */
export type SuiteHandler = (request: SuiteRequest) => Promise<SuiteResponse>;

/** How the suite configures the adapter under test for one server. */
export interface AdapterSetup {
  /**
   * The session middleware's options as the adapter takes them: the manager's plus the adapter's `eager` and
   * `policy` (the route policy, here the same for every request).
   */
  options: SessionManagerOptions & { eager?: boolean; policy?: RoutePolicy };
  /** When present, wire it into the adapter's per-request `cookieFor` option, called with the request path. */
  cookieFor?: (path: string) => CookieOverrides | undefined;
}

/** A running test server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The adapter under test, for one framework major: starts a real server (listening on port 0) with the
 * session middleware built from `setup` and `handler` behind it. Options errors must surface as a
 * rejection of `start`. A handler rejection must become the framework's error response (Koa: thrown;
 * Express: `next(err)`), with the error's `status` when it has one.
 */
export interface AdapterUnderTest {
  start(setup: AdapterSetup, handler: SuiteHandler): Promise<RunningServer>;
}

/**
 * Storage of one test: what the manager's `store` option takes — a server store, or a backend provider
 * (the cookie engine's `createCookieStore(…)`).
 */
export interface StorageInstance {
  store: SessionStore | BackendProvider;
  close?: () => Promise<void>;
}

/** Context handed to a storage factory. */
export interface StorageContext {
  /** The suite's clock, frozen at the start of the test; give it to stores that take one. */
  clock: Clock;
}

/**
 * The storage the suite runs over; by default a fresh core MemoryStore per test. Engines pass their own
 * to prove themselves end to end.
 */
export interface StorageUnderTest {
  /** A short name for test titles. */
  name: string;
  /** Fresh, isolated storage for one test (random prefix, table or directory). */
  create(context: StorageContext): StorageInstance | Promise<StorageInstance>;
  /**
   * A well-formed cookie value no server issued (a random key for server stores, a value sealed with a
   * foreign secret for the cookie engine). @default a random 32-character session key
   */
  forge?(): string;
  /**
   * A cookie value issued by the server, altered so that it must not be accepted (a flipped signature
   * character for signed cookies). @default one character of the value changed
   */
  tamper?(value: string): string;
  /**
   * Storage whose sessions are sealed or signed with an older secret and storage that reads them but
   * seals with a newer one (shared data), for the re-seal case: a read-only request re-issues the
   * cookie once. Only for engines that rotate secrets.
   */
  reseal?(context: StorageContext): Promise<{ old: StorageInstance; current: StorageInstance }>;
}

/** Options of {@link describeAdapter}. */
export interface HttpSuiteOptions {
  /** @default a fresh core MemoryStore per test */
  storage?: StorageUnderTest;
}
