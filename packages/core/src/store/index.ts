/**
 * `@sess/core/store`: what an engine author needs — the store contract, the backend contract (for engines
 * that are not server stores, like the cookie engine), keys and record ids, the metadata rules, the JSON
 * envelope, the options kit, and Django's session format settings.
 */
export {
  DJANGO_SESSION_SALT,
  DJANGO_SIGNED_COOKIES_SALT,
  type DjangoLoadFailure,
} from '../codecs/django-signing.js';
export type { Secret } from '../codecs/secrets.js';
export { declareOptions, type OptionsDeclaration, type ResolveOptions } from '../options/declare-options.js';
export * as option from '../options/option-kinds.js';
export type {
  OptionSpec,
  OptionSpecs,
  OptionsInput,
  ResolvedOptions,
  ValueOf,
} from '../options/option-spec.js';
export { EXPIRY_KEY, parsePythonIsoFormat, toPythonIsoFormat } from '../session/expiry.js';
export type {
  BackendCapabilities,
  BackendProvider,
  BackendSettings,
  BackendWrite,
  CookieJar,
  CookieValue,
  OpenedSession,
  SaveResult,
  SessionBackend,
} from './backend-contract.js';
export type {
  ExpiryChange,
  MetaChange,
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionData,
  SessionDelta,
  SessionRecord,
  SessionStore,
  SessionUpdate,
  StoreCapabilities,
} from './contract.js';
export {
  DJANGO_VERSION_EXPECTED,
  type DjangoVersion,
  djangoReadsIsoExpiry,
  parseDjangoVersion,
  withSecondsExpiry,
} from './django-compat.js';
export { djangoFormatOptionSpecs } from './django-options.js';
export {
  createDjangoSessionCodec,
  type DjangoSessionCodec,
  type DjangoSessionSettings,
} from './django-session-codec.js';
export {
  type DecodedEnvelope,
  decodeEnvelope,
  ENVELOPE_VERSION,
  encodeEnvelope,
  encodeEnvelopeText,
  envelopeDataJson,
} from './json-envelope.js';
export { applyMetaChange, canonicalMeta, type RecordHead, refreshedExpiry } from './record-change.js';
export {
  generateSessionKey,
  HASHED_ID_LENGTH,
  hashSessionKey,
  isRecordId,
  isValidSessionKey,
} from './session-key.js';
