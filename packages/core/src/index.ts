export {
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
} from './adapter-options.js';
export type {
  BackendCapabilities,
  CookieJar,
  CookieValue,
  LoadContext,
  LoadedSession,
  SaveRequest,
  SaveResult,
  SessionBackend,
} from './backend.js';
export { type Clock, systemClock } from './clock.js';
export * from './codecs/index.js';
export {
  type CookieAttributes,
  isCookieName,
  parseCookieHeader,
  type SameSite,
  serializeSetCookie,
} from './cookie-header.js';
export {
  DJANGO_VERSION_EXPECTED,
  type DjangoVersion,
  djangoReadsIsoExpiry,
  parseDjangoVersion,
  withSecondsExpiry,
} from './django-compat.js';
export {
  CapabilityMissing,
  CookieTooLarge,
  isSessionError,
  SessionAlreadyCommitted,
  SessionConfigError,
  SessionError,
  type SessionErrorCode,
  SessionInterrupted,
  SessionStoreError,
  SessionStoreTimeout,
} from './errors.js';
export {
  EXPIRY_KEY,
  expiresAtBrowserClose,
  expiryAge,
  expiryDate,
  parsePythonIsoFormat,
  toPythonIsoFormat,
} from './expiry.js';
export type { ResolvedManagerOptions, SessionManagerOptions } from './manager-options.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { OwnerLimit, PolicyOptions } from './policy-options.js';
export {
  type CommitResult,
  type CookieOverrides,
  RequestSession,
  type RoutePolicy,
  type SessionRequest,
} from './request-session.js';
export { type ExpiryQuery, Session, TEST_COOKIE_NAME, TEST_COOKIE_VALUE } from './session.js';
export type { SessionEvent, SessionEventListener } from './session-events.js';
export {
  generateSessionKey,
  hashSessionKey,
  isValidSessionKey,
  SESSION_KEY_CHARS,
  SESSION_KEY_LENGTH,
} from './session-key.js';
export { createSessionManager, SessionManager } from './session-manager.js';
export type { StandardResult, StandardSchemaLike } from './standard-schema.js';
export type {
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionData,
  SessionDelta,
  SessionRecord,
  SessionStore,
  SessionUpdate,
  StoreCapabilities,
} from './store.js';
export { createStoreBackend, type StoreBackendOptions } from './store-backend.js';
export { type SessionPreset, STRICT_DEFAULTS } from './strict-preset.js';
export { guardStoreCall } from './timeout.js';
export type { ResolvedTokenHeader, TokenHeaderOptions } from './token-header.js';
