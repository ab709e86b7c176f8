import { Buffer } from 'node:buffer';
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomFillSync,
} from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SessionConfigError } from '../errors.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { assertSecretList, deriveKeys, type Secret } from './secrets.js';
import { parseJsonSafely } from './serializer.js';

/** The version prefix of a sealed cookie, version 1. It is also the start of the associated data. */
export const SEALED_PREFIX = 's1.';
/** The HKDF `info` of sealing keys (distinct from the signer's `sess/sign/v1`). */
export const SEALER_KEY_INFO = 'sess/seal/v1';
/** The default bound on a sealed session's JSON, in bytes (after decompression): 64 KiB. */
export const DEFAULT_MAX_PLAINTEXT_BYTES = 64 * 1024;

const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
/** First plaintext byte of a compressed payload; plain JSON always starts with `{` (0x7b). */
const DEFLATED = 0x01;
const OPEN_BRACE = 0x7b;

/** Options of {@link createSealer}. */
export interface SealerOptions {
  /**
   * Ordered secrets, newest first: the first seals, every one opens (rotation). Each must be at least
   * 32 characters (string) or 32 bytes (Uint8Array).
   */
  readonly secrets: readonly Secret[];
  /**
   * Raw-deflate the JSON before encrypting when that makes it shorter. Off by default: compressing data
   * that is partly attacker-controlled before encryption leaks information through the length.
   * Opening accepts both forms whatever this says.
   * @default false
   */
  readonly compress?: boolean;
  /**
   * The largest session JSON sealed or opened, in UTF-8 bytes after decompression. Bounds inflation, so a
   * forged or oversized payload is refused without exhausting memory.
   * @default 65536 (64 KiB)
   */
  readonly maxPlaintextBytes?: number;
}

/** What {@link Sealer.seal} binds into the token besides the data. */
export interface SealClaims {
  /** The cookie name; part of the associated data, so the token opens only under this name. */
  readonly name: string;
  /** Issued at, in whole seconds since the epoch. */
  readonly iat: number;
  /** Expires at, in whole seconds since the epoch; `open` refuses the token from this second on. */
  readonly exp: number;
}

/** What {@link Sealer.open} needs to check a token. */
export interface OpenOptions {
  /** The cookie name the token was read from. */
  readonly name: string;
  /** The current time in milliseconds. */
  readonly nowMs: number;
}

/** An opened token: its data, times and the index of the secret that opened it (0 is the newest). */
export interface OpenedSeal {
  readonly data: Record<string, unknown>;
  readonly iat: number;
  readonly exp: number;
  readonly secretIndex: number;
}

/** Seals session data into `s1.` tokens and opens them, returned by {@link createSealer}. */
export interface Sealer {
  /**
   * Encrypts `{"exp","iat","data"}` under the first secret with a random nonce. Throws a `TypeError` for
   * data that is not a plain object or times that are not integers, and a `RangeError` when the JSON is
   * over `maxPlaintextBytes`.
   */
  seal(data: Record<string, unknown>, claims: SealClaims): string;
  /**
   * Opens a token sealed for `name` with any configured secret, or returns `null` when it is malformed,
   * truncated, tampered with, sealed for another name or version, too large, or expired (`exp <= now`).
   * Never throws.
   */
  open(token: string, options: OpenOptions): OpenedSeal | null;
}

type SealWithNonce = (data: Record<string, unknown>, claims: SealClaims, nonce: Uint8Array) => string;

/** The fixed-nonce entry of each sealer, reachable only through {@link sealWithFixedNonce}. */
const fixedNonceSeals = new WeakMap<Sealer, SealWithNonce>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Nonces come from a pool of random bytes filled 4 KiB at a time and never reused: one call into the
// CSPRNG costs as much as the rest of a seal, and every save seals.
const NONCE_POOL_BYTES = NONCE_LENGTH * 341;
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function randomNonce(): Buffer {
  if (nonceOffset + NONCE_LENGTH > noncePool.length) {
    noncePool = randomFillSync(Buffer.allocUnsafe(NONCE_POOL_BYTES));
    nonceOffset = 0;
  }
  const nonce = noncePool.subarray(nonceOffset, nonceOffset + NONCE_LENGTH);
  nonceOffset += NONCE_LENGTH;
  return nonce;
}

// The associated data of the last cookie name asked: one session cookie per app, as a rule.
let aadName: string | undefined;
let aadBytes = Buffer.alloc(0);

function associatedData(name: string): Buffer {
  if (name !== aadName) {
    aadBytes = Buffer.from(`${SEALED_PREFIX}${name}`, 'utf8');
    aadName = name;
  }
  return aadBytes;
}

function decrypt(key: KeyObject, nonce: Buffer, body: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  try {
    // The tag given is always the last 16 bytes, so no shorter tag can be passed off: GCM's default
    // length needs no option (whose checks cost as much as setting the AAD).
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(body);
    // GCM is a stream mode: `final()` only checks the tag, and gives no bytes to append.
    const rest = decipher.final();
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    return null;
  }
}

/** The JSON text inside a plaintext, or `null` when it is neither plain JSON nor bounded valid deflate. */
function plaintextJson(plaintext: Buffer, maxBytes: number): string | null {
  try {
    // Authenticated bytes, so they are the UTF-8 that `seal` wrote: no need to check them again as text.
    if (plaintext[0] === OPEN_BRACE) return plaintext.toString();
    if (plaintext[0] !== DEFLATED) return null;
    return inflateRawSync(plaintext.subarray(1), { maxOutputLength: maxBytes }).toString();
  } catch {
    return null;
  }
}

/**
 * Creates the sealer of the sealed cookie, version 1: token = `s1.` + base64url(nonce ‖ ciphertext ‖ tag)
 * with AES-256-GCM (12-byte random nonce, 16-byte tag), associated data = UTF-8 of `s1.` + cookie name, and
 * plaintext = UTF-8 JSON `{"exp":…,"iat":…,"data":{…}}`, or 0x01 followed by its raw deflate when
 * compression is on and helps. One key per secret is derived once, here, with HKDF-SHA256 (empty salt,
 * info `sess/seal/v1`). Throws {@link SessionConfigError} for an empty secret list, a short secret or an
 * invalid option.
 */
export function createSealer(options: SealerOptions): Sealer {
  const { secrets, compress = false, maxPlaintextBytes = DEFAULT_MAX_PLAINTEXT_BYTES } = options;
  assertSecretList(secrets);
  if (typeof compress !== 'boolean') {
    throw new SessionConfigError('@sess/core', 'compress', 'a boolean', compress);
  }
  if (!Number.isSafeInteger(maxPlaintextBytes) || maxPlaintextBytes < 1) {
    throw new SessionConfigError(
      '@sess/core',
      'maxPlaintextBytes',
      'a positive integer (bytes)',
      maxPlaintextBytes,
    );
  }
  // KeyObjects, made once: a raw key given to createCipheriv is imported again on every call.
  const keys = deriveKeys(secrets, SEALER_KEY_INFO).map((key) => createSecretKey(key));
  const sealingKey = keys[0] as KeyObject;
  const minBytes = NONCE_LENGTH + 2 + TAG_LENGTH;
  const maxTokenLength = SEALED_PREFIX.length + Math.ceil((minBytes + maxPlaintextBytes) / 3) * 4;

  function seal(data: Record<string, unknown>, claims: SealClaims, fixedNonce?: Uint8Array): string {
    const { name, iat, exp } = claims;
    if (!isRecord(data)) throw new TypeError('[@sess/core] sealed session data must be a plain object');
    if (typeof name !== 'string') {
      throw new TypeError('[@sess/core] seal() needs the cookie name as a string');
    }
    if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) {
      throw new TypeError('[@sess/core] seal() needs iat and exp as whole seconds');
    }
    const json = JSON.stringify({ exp, iat, data });
    const jsonBytes = Buffer.byteLength(json, 'utf8');
    if (jsonBytes > maxPlaintextBytes) {
      throw new RangeError(
        `[@sess/core] the sealed session is ${jsonBytes} bytes of JSON, over maxPlaintextBytes (${maxPlaintextBytes})`,
      );
    }
    // The JSON goes to the cipher as text (encoded as UTF-8 on the way in) unless compression shortens it.
    let plaintext: string | Buffer = json;
    if (compress) {
      const deflated = deflateRawSync(json);
      if (deflated.length + 1 < jsonBytes) plaintext = Buffer.concat([Buffer.of(DEFLATED), deflated]);
    }
    const nonce = fixedNonce === undefined ? randomNonce() : Buffer.from(fixedNonce);
    if (nonce.length !== NONCE_LENGTH) throw new TypeError('[@sess/core] a fixture nonce must be 12 bytes');
    // GCM's tag is 16 bytes unless asked otherwise.
    const cipher = createCipheriv('aes-256-gcm', sealingKey, nonce);
    cipher.setAAD(associatedData(name));
    // One copy: the nonce, the ciphertext (`final()` adds no bytes in GCM, a stream mode) and the tag.
    const body = cipher.update(plaintext);
    const rest = cipher.final();
    return SEALED_PREFIX + encodeBase64Url(Buffer.concat([nonce, body, rest, cipher.getAuthTag()]));
  }

  function open(token: string, openOptions: OpenOptions): OpenedSeal | null {
    const { name, nowMs } = openOptions ?? {};
    if (typeof token !== 'string' || typeof name !== 'string') return null;
    if (!token.startsWith(SEALED_PREFIX) || token.length > maxTokenLength) return null;
    const raw = decodeBase64Url(token.slice(SEALED_PREFIX.length));
    if (raw === null || raw.length < minBytes) return null;
    const nonce = raw.subarray(0, NONCE_LENGTH);
    const body = raw.subarray(NONCE_LENGTH, raw.length - TAG_LENGTH);
    const tag = raw.subarray(raw.length - TAG_LENGTH);
    const aad = associatedData(name);
    for (let secretIndex = 0; secretIndex < keys.length; secretIndex++) {
      const plaintext = decrypt(keys[secretIndex] as KeyObject, nonce, body, tag, aad);
      if (plaintext !== null) return readClaims(plaintext, secretIndex, nowMs);
    }
    return null;
  }

  /** The claims of an authentic plaintext, or `null` when they are not the v1 shape or have expired. */
  function readClaims(plaintext: Buffer, secretIndex: number, nowMs: number): OpenedSeal | null {
    const json = plaintextJson(plaintext, maxPlaintextBytes);
    if (json === null) return null;
    let claims: unknown;
    try {
      claims = parseJsonSafely(json);
    } catch {
      return null;
    }
    if (!isRecord(claims) || !isRecord(claims.data)) return null;
    const { exp, iat, data } = claims;
    if (typeof exp !== 'number' || typeof iat !== 'number') return null;
    if (!Number.isSafeInteger(exp) || !Number.isSafeInteger(iat)) return null;
    // "Not after now" rather than "at or before now", so that a NaN clock fails closed.
    if (!(exp > nowMs / 1000)) return null;
    return { data, iat, exp, secretIndex };
  }

  const sealer: Sealer = { seal: (data, claims) => seal(data, claims), open };
  fixedNonceSeals.set(sealer, seal);
  return sealer;
}

/**
 * Seals with a fixed nonce, for golden test fixtures ONLY: it is not exported from the package entry.
 * Reusing a nonce under one key destroys AES-GCM's confidentiality and integrity.
 * Throws a `TypeError` when `sealer` does not come from {@link createSealer} or `nonce` is not 12 bytes.
 */
export function sealWithFixedNonce(
  sealer: Sealer,
  data: Record<string, unknown>,
  claims: SealClaims,
  nonce: Uint8Array,
): string {
  const seal = fixedNonceSeals.get(sealer);
  if (seal === undefined) throw new TypeError('[@sess/core] not a sealer made by createSealer()');
  return seal(data, claims, nonce);
}
