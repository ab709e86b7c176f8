import type { RoutePolicy, Session, SessionData, SessionManager, SessionManagerOptions } from '@sess/core';
import type { SuiteRequest } from '@sess/http-test-suite';

/** What a route sees: the suite's request shape, plus the app's manager (owners, revocation). */
export interface AppRequest extends SuiteRequest {
  manager: SessionManager;
}

/** What a route answers (a rejection goes to the framework's error handling). */
export interface AppResponse {
  status?: number;
  body?: string;
  /** The Content-Type. @default 'text/plain' */
  type?: string;
}

/** A route handler of an app. */
export type AppHandler = (request: AppRequest) => Promise<AppResponse>;

/**
 * What an app file builds a server from: the session middleware of its adapter, configured the same way on
 * every framework, with `handler` behind it.
 */
export interface ServerSpec {
  /**
   * The session middleware's options as the adapter takes them: a prebuilt `{ manager }`, or the manager's
   * options (the adapter builds the manager and validates them).
   */
  session: { manager: SessionManager } | SessionManagerOptions;
  /** The route policy per path (read-only, fail-open). */
  policy?: ((path: string) => RoutePolicy | undefined) | undefined;
  handler: AppHandler;
  /**
   * How an error that reached the framework's error handling is answered (after it is recorded). Absent:
   * the framework's own way (Koa: its default error response; Express: the error's status, or 500, and its
   * code as text).
   */
  errorResponse?: ((error: unknown) => AppResponse) | undefined;
  /** Every error that reached the framework's error handling, in order (the app file appends). */
  errors: unknown[];
}

/** The request a route sees, over a framework's request. */
export function appRequest(
  manager: SessionManager,
  method: string,
  url: string,
  getSession: () => Promise<Session<SessionData>>,
  current: () => Session<SessionData> | null | undefined,
): AppRequest {
  const parsed = new URL(url, 'http://localhost');
  return {
    method,
    path: parsed.pathname,
    query: parsed.searchParams,
    getSession,
    get session() {
      return current();
    },
    manager,
  };
}

/** The pathname of a request URL (the policy's argument). */
export const pathOf = (url: string | undefined): string => new URL(url ?? '/', 'http://localhost').pathname;
