import { isCookieName, type SameSite } from '../cookie-header.js';
import { SessionConfigError } from '../errors.js';
import * as option from '../options/option-kinds.js';

const SOURCE = '@sess/core';

/**
 * The session cookie's options, named after Django's `SESSION_COOKIE_*` settings (a flat vocabulary, so
 * each is one Django setting and lifetimes stay in seconds).
 */
export const COOKIE_OPTION_SPECS = {
  /** SESSION_COOKIE_NAME. A `__Host-` prefix requires `cookieSecure: true`, path `/` and no domain. */
  cookieName: option.text({
    default: 'sessionid',
    expected: 'a cookie name token',
    pattern: /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/,
  }),
  /** SESSION_COOKIE_AGE: how long a session lives without a save, and the cookie's Max-Age. */
  cookieAge: option.seconds({
    default: 1_209_600,
    defaultText: '1209600 (two weeks)',
    max: { seconds: 34_560_000, why: 'browsers keep a cookie at most 400 days' },
  }),
  /** SESSION_COOKIE_DOMAIN; null (or leaving it out) makes a host-only cookie. */
  cookieDomain: option.custom<string | undefined, string | null>({
    default: undefined,
    defaultText: 'null (host-only)',
    expected: 'a domain name or null',
    check: (value, invalid) =>
      value === null
        ? undefined
        : typeof value === 'string' && /^\.?[A-Za-z0-9.-]+$/.test(value)
          ? value
          : invalid(),
  }),
  /** SESSION_COOKIE_PATH. */
  cookiePath: option.text({
    default: '/',
    expected: 'a path starting with "/" (printable ASCII, no space or ";")',
    pattern: /^\/[\x21-\x3A\x3C-\x7E]*$/,
  }),
  /** SESSION_COOKIE_SECURE; `'auto'` follows the request's protocol (behind a trusted proxy). */
  cookieSecure: option.custom<boolean | 'auto'>({
    default: false,
    expected: "true, false or 'auto'",
    check: (value, invalid) => (typeof value === 'boolean' || value === 'auto' ? value : invalid()),
  }),
  /** SESSION_COOKIE_HTTPONLY. */
  cookieHttpOnly: option.boolean({ default: true }),
  /** SESSION_COOKIE_SAMESITE, in any case; `false` omits the attribute. `None` requires Secure. */
  cookieSameSite: option.custom<SameSite, 'Lax' | 'Strict' | 'None' | 'lax' | 'strict' | 'none' | false>({
    default: 'Lax',
    defaultText: "'Lax'",
    expected: "one of 'Lax', 'Strict', 'None' or false",
    check: (value, invalid) => {
      if (value === false) return false;
      const found = ['Lax', 'Strict', 'None'].find(
        (v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase(),
      );
      return found === undefined ? invalid() : (found as SameSite);
    },
  }),
  /** Adds `Partitioned` (CHIPS); requires Secure. */
  cookiePartitioned: option.boolean({ default: false }),
  /** Adds `Priority=` (Chromium). */
  cookiePriority: option.custom<
    'Low' | 'Medium' | 'High' | undefined,
    'Low' | 'Medium' | 'High' | 'low' | 'medium' | 'high'
  >({
    default: undefined,
    defaultText: 'none (omitted)',
    expected: "one of 'Low', 'Medium', 'High'",
    check: (value, invalid) => {
      const found = ['Low', 'Medium', 'High'].find(
        (v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase(),
      );
      return found === undefined ? invalid() : (found as 'Low' | 'Medium' | 'High');
    },
  }),
};

/** The cookie attributes every response of a manager uses (a request may override some). */
export interface CookieAttributeSettings {
  domain: string | undefined;
  path: string;
  secure: boolean | 'auto';
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  priority: 'Low' | 'Medium' | 'High' | undefined;
}

function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, expected, received);
}

/**
 * The rules browsers enforce across the cookie options: SameSite=None and Partitioned need Secure; a
 * `__Host-` cookie is Secure, host-only and at `/`; a `__Secure-` one Secure.
 */
export function checkCookieRules(name: string, cookie: CookieAttributeSettings): void {
  if (!isCookieName(name)) fail('cookieName', 'a cookie name token', name);
  if (cookie.sameSite === 'None' && cookie.secure === false) {
    fail('cookieSameSite', "'None' only with cookieSecure true or 'auto'", 'None');
  }
  if (cookie.partitioned && cookie.secure === false) {
    fail('cookiePartitioned', "true only with cookieSecure true or 'auto'", true);
  }
  if (name.startsWith('__Host-')) {
    if (cookie.secure !== true) fail('cookieSecure', 'true for a __Host- cookie', cookie.secure);
    if (cookie.path !== '/') fail('cookiePath', "'/' for a __Host- cookie", cookie.path);
    if (cookie.domain !== undefined) fail('cookieDomain', 'null for a __Host- cookie', cookie.domain);
  } else if (name.startsWith('__Secure-') && cookie.secure !== true) {
    fail('cookieSecure', 'true for a __Secure- cookie', cookie.secure);
  }
}
