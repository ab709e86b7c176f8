import type { SameSite } from './cookie-header.js';
import { isCookieName } from './cookie-header.js';
import { bool, capitalized, fail } from './option-checks.js';

/** The session cookie's attributes, validated: what `Set-Cookie` carries besides the value. */
export interface CookieAttributeOptions {
  name: string;
  domain: string | undefined;
  path: string;
  secure: boolean | 'auto';
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  priority: 'Low' | 'Medium' | 'High' | undefined;
}

/**
 * Validates the `cookie*` options with Django's defaults, and the rules browsers enforce: SameSite=None and
 * Partitioned need Secure, a `__Host-` cookie is Secure, host-only and at `/`, a `__Secure-` one Secure.
 */
export function resolveCookieAttributes(options: Record<string, unknown>): CookieAttributeOptions {
  const cookieName = options.cookieName ?? 'sessionid';
  if (typeof cookieName !== 'string' || !isCookieName(cookieName))
    fail('cookieName', 'a cookie name token', cookieName);

  const domain = options.cookieDomain ?? undefined;
  if (domain !== undefined && (typeof domain !== 'string' || !/^\.?[A-Za-z0-9.-]+$/.test(domain))) {
    fail('cookieDomain', 'a domain name or null', domain);
  }
  const path = options.cookiePath ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/') || /[;\s]/.test(path)) {
    fail('cookiePath', 'a path starting with "/"', path);
  }
  const secure = options.cookieSecure ?? false;
  if (secure !== 'auto' && typeof secure !== 'boolean') fail('cookieSecure', "true, false or 'auto'", secure);

  const rawSameSite = options.cookieSameSite ?? 'Lax';
  const sameSite: SameSite =
    rawSameSite === false
      ? false
      : capitalized('cookieSameSite', rawSameSite, ['Lax', 'Strict', 'None'] as const);
  if (sameSite === 'None' && secure === false)
    fail('cookieSameSite', "'None' only with cookieSecure true or 'auto'", 'None');

  const partitioned = bool(options, 'cookiePartitioned', false);
  if (partitioned && secure === false)
    fail('cookiePartitioned', "true only with cookieSecure true or 'auto'", true);
  const priority =
    options.cookiePriority === undefined
      ? undefined
      : capitalized('cookiePriority', options.cookiePriority, ['Low', 'Medium', 'High'] as const);

  if (cookieName.startsWith('__Host-')) {
    if (secure !== true) fail('cookieSecure', 'true for a __Host- cookie', secure);
    if (path !== '/') fail('cookiePath', "'/' for a __Host- cookie", path);
    if (domain !== undefined) fail('cookieDomain', 'null for a __Host- cookie', domain);
  } else if (cookieName.startsWith('__Secure-') && secure !== true) {
    fail('cookieSecure', 'true for a __Secure- cookie', secure);
  }

  return {
    name: cookieName,
    domain,
    path,
    secure,
    httpOnly: bool(options, 'cookieHttpOnly', true),
    sameSite,
    partitioned,
    priority,
  };
}
