/**
 * `@sess/core/adapter`: what a framework adapter is built from — options, the request's session, the
 * compatible session object, and the response headers of a commit.
 */

export {
  type CookieAttributes,
  isCookieName,
  parseCookieHeader,
  type SameSite,
  serializeSetCookie,
} from '../cookie-header.js';
export {
  ADAPTER_OPTIONS,
  type AdapterInput,
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from './adapter-options.js';
