/**
 * `@sess/core`: what an app needs — the manager, the memory store, the session and error types, the
 * presets. Engine authors import from `@sess/core/store`, adapter authors from `@sess/core/adapter`,
 * codec users from `@sess/core/codecs`, tests from `@sess/core/testing`.
 */
export { type Clock, systemClock } from './clock.js';
export {
  CapabilityMissing,
  CookieTooLarge,
  isSessionError,
  SessionAlreadyCommitted,
  SessionConfigError,
  SessionError,
  type SessionErrorCode,
  SessionInterrupted,
  SessionNotLoaded,
  SessionStoreError,
  SessionStoreTimeout,
} from './errors.js';
export type {
  ResolvedManagerOptions,
  SessionManagerOptions,
  StoreOption,
} from './manager/manager-options.js';
export type { OwnerLimit } from './manager/policy-options.js';
export type { SessionEvent, SessionEventListener } from './manager/session-events.js';
export { createSessionManager, type OwnedSession, type SessionManager } from './manager/session-manager.js';
export { type SessionPreset, STRICT_DEFAULTS } from './manager/strict-preset.js';
export type { TokenHeaderOptions } from './manager/token-header.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { CommitResult, CookieOverrides } from './request/commit-result.js';
export type { RequestSession } from './request/request-session.js';
export type { RoutePolicy, SessionRequest } from './request/session-request.js';
export { type ExpiryQuery, type Session, TEST_COOKIE_NAME, TEST_COOKIE_VALUE } from './session/session.js';
export type { StandardResult, StandardSchemaLike } from './standard-schema.js';
export type { SessionData } from './store/contract.js';
