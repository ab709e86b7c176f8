import type { CookieJar } from '../store/backend-contract.js';
import type { CookieOverrides } from './commit-result.js';

/** Per-route behaviour. */
export interface RoutePolicy {
  /** Never write, touch, rotate or delete (polling endpoints); session writes throw. @default false */
  readOnly?: boolean;
  /**
   * When the store is down, serve the request with an empty read-only session instead of failing.
   * Nothing is written. @default false (fail closed)
   */
  failOpen?: boolean;
}

/** What an adapter reads off the request for `SessionManager.open()`. */
export interface SessionRequest {
  /** The raw `Cookie` header. */
  cookieHeader?: string | null | undefined;
  /** The request's cookies, when the framework already parsed them (takes precedence over the header). */
  cookies?: CookieJar;
  /** Whether the request arrived over HTTPS (for `cookieSecure: 'auto'`). */
  secure?: boolean;
  /** This request's overrides of the cookie attributes (a tenant's domain, say). */
  cookie?: CookieOverrides;
  /**
   * Reads a request header by its lower-case name; needed with the manager's `tokenHeader` option, whose
   * key comes from a header instead of the cookie.
   */
  header?: (name: string) => string | undefined;
  /** This route's policy (read-only, fail-open). */
  policy?: RoutePolicy;
}
