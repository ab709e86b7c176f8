/**
 * `@sess/core/codecs`: the signer, the sealed-cookie format, and Django's `signing` byte for byte — what
 * the cookie engine is built from, for apps and engines that need the same primitives.
 */
export { decodeBase62, encodeBase62 } from './base62.js';
export {
  createDjangoSigner,
  DJANGO_SESSION_SALT,
  DJANGO_SIGNED_COOKIES_SALT,
  type DjangoDumpsOptions,
  type DjangoLoadFailure,
  type DjangoLoadOptions,
  type DjangoLoadResult,
  type DjangoLoadsOptions,
  type DjangoSigner,
  type DjangoSignerOptions,
  deriveDjangoKey,
  djangoDumps,
  djangoLoads,
} from './django-signing.js';
export {
  createSealer,
  type OpenedSeal,
  type OpenOptions,
  SEALED_PREFIX,
  type SealClaims,
  type Sealer,
  type SealerOptions,
} from './sealer.js';
export { MIN_SECRET_LENGTH, type Secret } from './secrets.js';
export { parseJsonSafely } from './serializer.js';
export { createSigner, type Signer, type SignerOptions, type UnsignedValue } from './signer.js';
