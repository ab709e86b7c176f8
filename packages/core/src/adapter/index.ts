/**
 * `@sess/core/adapter`: what a framework adapter is built from — its options, the per-request binding
 * (lazy loading, the synchronous `session` property, `session = null`), the compatible session that
 * speaks express-session's, koa-session's and @fastify/session's idioms, and the response headers of a
 * commit. An adapter is the glue between these and its framework's request and response.
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
} from './adapter-options.js';
export type { CompatIdioms, CompatMembers, SessionCallback } from './compat-members.js';
export type { CompatSession, SessionProperties } from './compat-session.js';
export type { SessionCookie } from './cookie-object.js';
export { RequestBinding, type ResponseAccess } from './request-binding.js';
export { applyCommit, type HeaderSink, mergeVary } from './response-headers.js';
export { createSessionAdapter, type RequestFacts, type SessionAdapter } from './session-adapter.js';
