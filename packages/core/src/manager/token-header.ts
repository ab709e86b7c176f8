import { isCookieName } from '../cookie-header.js';
import { SessionConfigError } from '../errors.js';
import type { CookieJar } from '../store/backend-contract.js';

/**
 * Carries the session key in request/response headers instead of cookies, for API clients that cannot
 * keep cookies. Only for server-side backends, whose session is one key.
 */
export interface TokenHeaderOptions {
  /**
   * The request header that carries the key. `Authorization` means the `Bearer <key>` scheme; any other
   * header carries the bare key (`X-Session-Token`). Also the header named in `Vary`.
   */
  request: string;
  /** The response header that carries a new or refreshed key; an empty value tells the client to drop it. */
  response: string;
}

/** {@link TokenHeaderOptions} after validation. */
export interface ResolvedTokenHeader {
  /** The request header as given (for `Vary`). */
  request: string;
  /** The response header as given. */
  response: string;
  /** True when the request header is `Authorization` (the `Bearer` scheme). */
  bearer: boolean;
}

const SOURCE = '@sess/core';
const FORBIDDEN = new Set(['cookie', 'set-cookie', 'vary', 'content-length', 'content-type', 'host']);

function headerName(option: string, value: unknown): string {
  if (typeof value !== 'string' || !isCookieName(value) || FORBIDDEN.has(value.toLowerCase())) {
    throw new SessionConfigError(SOURCE, option, 'an HTTP header name (not Cookie or Set-Cookie)', value);
  }
  return value;
}

/** Validates the `tokenHeader` option (its use with a cookie-only backend is checked with the store). */
export function parseTokenHeader(value: unknown): ResolvedTokenHeader | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw new SessionConfigError(SOURCE, 'tokenHeader', '{ request, response } header names', value);
  }
  const { request, response, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw new SessionConfigError(
      SOURCE,
      `tokenHeader.${extra}`,
      'absent (known: request, response)',
      rest[extra],
    );
  }
  const resolved = {
    request: headerName('tokenHeader.request', request),
    response: headerName('tokenHeader.response', response),
  };
  return { ...resolved, bearer: resolved.request.toLowerCase() === 'authorization' };
}

/** The key a request header carries: the bare value, or the credentials of `Bearer <key>`. */
export function readToken(
  header: string | undefined | null,
  tokenHeader: ResolvedTokenHeader,
): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (!tokenHeader.bearer) return value === '' ? undefined : value;
  const match = /^Bearer[ \t]+(\S+)$/i.exec(value);
  return match?.[1];
}

/** A jar holding the token under the cookie name, so backends read it exactly as a cookie. */
export function tokenJar(cookieName: string, token: string | undefined): CookieJar {
  return {
    get: (name) => (name === cookieName ? token : undefined),
    names: () => (token === undefined ? [] : [cookieName]),
  };
}
