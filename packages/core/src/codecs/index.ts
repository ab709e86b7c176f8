export { BASE62_ALPHABET, decodeBase62, encodeBase62 } from './base62.js';
export { decodeBase64Url, encodeBase64Url } from './base64url.js';
export {
  createDjangoSigner,
  DJANGO_DEFAULT_MAX_LENGTH,
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
export { pythonJsonDumps } from './python-json.js';
export {
  createSealer,
  DEFAULT_MAX_PLAINTEXT_BYTES,
  type OpenedSeal,
  type OpenOptions,
  SEALED_PREFIX,
  SEALER_KEY_INFO,
  type SealClaims,
  type Sealer,
  type SealerOptions,
} from './sealer.js';
export { MIN_SECRET_LENGTH, type Secret } from './secrets.js';
export { jsonSerializer, parseJsonSafely, type Serializer } from './serializer.js';
export {
  createSigner,
  SIGNER_KEY_INFO,
  type Signer,
  type SignerOptions,
  type UnsignedValue,
} from './signer.js';
