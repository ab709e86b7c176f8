import type { SameSite } from '../cookie-header.js';
import type { RequestSession } from '../request/request-session.js';
import { EXPIRY_KEY } from '../session/expiry.js';
import type { Session } from '../session/session.js';
import type { SessionData } from '../store/contract.js';

/**
 * express-session's `req.session.cookie` (and @fastify/session's `session.cookie`), mapped onto sess:
 * the lifetime fields are the session's expiry (`maxAge` in milliseconds, as express-session counts it,
 * becomes `setExpiry(seconds)`), the attributes are this response's cookie overrides.
 */
export interface SessionCookie {
  /** Milliseconds the cookie lives from this response; null for a browser-session cookie. Setting it sets the session's expiry. */
  maxAge: number | null;
  /** The lifetime in milliseconds the cookie is given at each save; null for a browser-session cookie. */
  originalMaxAge: number | null;
  /** When the cookie expires; null for a browser-session cookie. Setting a Date fixes the session's expiry there. */
  expires: Date | null;
  secure: boolean | 'auto';
  httpOnly: boolean;
  domain: string | undefined;
  path: string;
  sameSite: SameSite;
  /** Read-only here: the manager's `cookiePartitioned`. */
  readonly partitioned: boolean;
  /** Read-only here: the manager's `cookiePriority`. */
  readonly priority: 'Low' | 'Medium' | 'High' | undefined;
  /** The fields above, as express-session serializes them. */
  toJSON(): Record<string, unknown>;
}

/** The seconds `setExpiry` takes for a lifetime given in milliseconds (a positive one never rounds to 0). */
function secondsOf(ms: number): number {
  const seconds = Math.round(ms / 1000);
  return ms > 0 && seconds === 0 ? 1 : seconds;
}

function sameSiteOf(value: unknown): SameSite {
  if (value === false || value === undefined || value === null) return false;
  if (value === true) return 'Strict';
  const found = ['Lax', 'Strict', 'None'].find(
    (v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase(),
  );
  if (found === undefined) {
    throw new TypeError(
      `[@sess/core] session.cookie.sameSite takes 'lax', 'strict', 'none', true or false, not ${String(value)}`,
    );
  }
  return found as SameSite;
}

/** The cookie object of `session`, over the request that owns it. */
export function cookieObject<Data extends SessionData>(
  session: Session<Data>,
  request: RequestSession<Data>,
): SessionCookie {
  const lifetime = (): number | null => {
    if (session.getExpireAtBrowserClose()) return null;
    return session.getExpiryAge() * 1000;
  };
  const setLifetime = (value: unknown, field: string): void => {
    if (value === null || value === undefined || value === false) session.setExpiry(0);
    else if (value instanceof Date) session.setExpiry(value);
    else if (typeof value === 'number' && Number.isFinite(value)) session.setExpiry(secondsOf(value));
    else throw new TypeError(`[@sess/core] session.cookie.${field} takes milliseconds, a Date or null`);
  };
  const fixed = (field: string, option: string) => () => {
    throw new TypeError(
      `[@sess/core] session.cookie.${field} cannot change per request: set the \`${option}\` option`,
    );
  };
  return {
    get maxAge() {
      return lifetime();
    },
    set maxAge(value) {
      setLifetime(value, 'maxAge');
    },
    get originalMaxAge() {
      const own = session.get(EXPIRY_KEY as never) as unknown;
      if (own === 0 || (own === undefined && request.expireAtBrowserClose)) return null;
      return typeof own === 'number' ? own * 1000 : request.cookieAge * 1000;
    },
    set originalMaxAge(value) {
      setLifetime(value, 'originalMaxAge');
    },
    get expires() {
      return lifetime() === null ? null : session.getExpiryDate();
    },
    set expires(value) {
      setLifetime(value, 'expires');
    },
    get secure() {
      return request.cookieSettings().secure;
    },
    set secure(value) {
      if (typeof value !== 'boolean' && value !== 'auto') {
        throw new TypeError("[@sess/core] session.cookie.secure takes true, false or 'auto'");
      }
      request.overrideCookie({ secure: value });
    },
    get httpOnly() {
      return request.cookieSettings().httpOnly;
    },
    set httpOnly(value) {
      request.overrideCookie({ httpOnly: value === true });
    },
    get domain() {
      return request.cookieSettings().domain;
    },
    set domain(value) {
      if (value !== undefined && (typeof value !== 'string' || !/^\.?[A-Za-z0-9.-]+$/.test(value))) {
        throw new TypeError('[@sess/core] session.cookie.domain takes a domain name');
      }
      request.overrideCookie(value === undefined ? {} : { domain: value });
    },
    get path() {
      return request.cookieSettings().path;
    },
    set path(value) {
      if (typeof value !== 'string' || !/^\/[^;\s]*$/.test(value)) {
        throw new TypeError('[@sess/core] session.cookie.path takes a path starting with "/"');
      }
      request.overrideCookie({ path: value });
    },
    get sameSite() {
      return request.cookieSettings().sameSite;
    },
    set sameSite(value) {
      request.overrideCookie({ sameSite: sameSiteOf(value) });
    },
    get partitioned() {
      return request.cookieSettings().partitioned;
    },
    set partitioned(_value) {
      fixed('partitioned', 'cookiePartitioned')();
    },
    get priority() {
      return request.cookieSettings().priority;
    },
    set priority(_value) {
      fixed('priority', 'cookiePriority')();
    },
    toJSON() {
      const settings = request.cookieSettings();
      return {
        originalMaxAge: this.originalMaxAge,
        expires: this.expires,
        secure: settings.secure,
        httpOnly: settings.httpOnly,
        domain: settings.domain,
        path: settings.path,
        sameSite: settings.sameSite,
        partitioned: settings.partitioned,
        priority: settings.priority,
      };
    },
  };
}
