import { hash, randomFillSync } from 'node:crypto';

/** The characters of a session key, as Django's `VALID_KEY_CHARS`. */
export const SESSION_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Length of every key sess issues (about 165 bits). */
export const SESSION_KEY_LENGTH = 32;

// 36 * 7 = 252: bytes at or above it are rejected so every character is equally likely.
const UNBIASED_LIMIT = 252;
/** The char code each byte stands for: `SESSION_KEY_CHARS[byte % 36]`. */
const CODE_OF_BYTE = Uint8Array.from({ length: 256 }, (_, byte) => SESSION_KEY_CHARS.charCodeAt(byte % 36));

/**
 * Random bytes from the OS CSPRNG, drawn 4 KiB at a time (as Node's `randomUUID` caches its entropy): one
 * call into OpenSSL per ~85 keys instead of one per key. Each byte is used once.
 */
const pool = new Uint8Array(4096);
let pooled = 0;

function randomByte(): number {
  if (pooled === 0) {
    randomFillSync(pool);
    pooled = pool.length;
  }
  pooled--;
  const byte = pool[pooled] as number;
  pool[pooled] = 0;
  return byte;
}

const codes = new Array<number>(SESSION_KEY_LENGTH);

/** A new key: 32 characters of `[a-z0-9]` from the OS CSPRNG, without modulo bias. */
export function generateSessionKey(): string {
  for (let i = 0; i < SESSION_KEY_LENGTH; ) {
    const byte = randomByte();
    if (byte < UNBIASED_LIMIT) codes[i++] = CODE_OF_BYTE[byte] as number;
  }
  return String.fromCharCode.apply(null, codes);
}

/** True when `value` has the exact shape of a key sess issues: 32 characters of `[a-z0-9]`. */
export function isValidSessionKey(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== SESSION_KEY_LENGTH) return false;
  // A loop over char codes: this runs on every request that carries a cookie.
  for (let i = 0; i < SESSION_KEY_LENGTH; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

// Domain separation: the same key hashed for another purpose never gives the same id.
const HASH_CONTEXT = 'sess key at rest v1\0';
/** Length of a hashed record id: longer than a key, so a stored id can never pass for a cookie's key. */
export const HASHED_ID_LENGTH = 40;
const idCodes = new Array<number>(HASHED_ID_LENGTH);

/**
 * The record id a key is stored under when keys are hashed at rest (`hashKeysAtRest`): SHA-512 of the
 * key, written as 40 characters of `[a-z0-9]`. One-way: a stolen table or dump of ids
 * yields no cookie that opens a session. Its length differs from a key's on purpose: a stored id sent
 * back as a cookie is refused before any lookup, also by the legacy path of `hashKeysAtRest: 'migrate'`.
 */
export function hashSessionKey(key: string): string {
  // One-shot: no Hash object (and no native handle for the collector) per request.
  const digest = hash('sha512', HASH_CONTEXT + key, 'buffer') as unknown as Uint8Array;
  // A byte modulo 36 is slightly biased; over 40 characters that leaves far more than 128 bits.
  for (let i = 0; i < HASHED_ID_LENGTH; i++) idCodes[i] = CODE_OF_BYTE[digest[i] as number] as number;
  return String.fromCharCode.apply(null, idCodes);
}

const RECORD_ID_PATTERN = /^(?:[a-z0-9]{32}|[a-z0-9]{40})$/;

/**
 * True for what a store may receive as a record id: a key (32 characters of `[a-z0-9]`) or a hashed id
 * (40). Engines that build paths or commands from ids check it again on their own.
 */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID_PATTERN.test(value);
}
