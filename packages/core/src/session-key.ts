import { createHash, randomBytes } from 'node:crypto';

/** The characters of a session key, as Django's `VALID_KEY_CHARS`. */
export const SESSION_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Length of every key sess issues (about 165 bits). */
export const SESSION_KEY_LENGTH = 32;

const KEY_PATTERN = /^[a-z0-9]{32}$/;
// 36 * 7 = 252: bytes at or above it are rejected so every character is equally likely.
const UNBIASED_LIMIT = 252;

/** A new key: 32 characters of `[a-z0-9]` from the OS CSPRNG, without modulo bias. */
export function generateSessionKey(): string {
  let key = '';
  while (key.length < SESSION_KEY_LENGTH) {
    for (const byte of randomBytes(48)) {
      if (byte >= UNBIASED_LIMIT) continue;
      key += SESSION_KEY_CHARS[byte % 36];
      if (key.length === SESSION_KEY_LENGTH) break;
    }
  }
  return key;
}

/** True when `value` has the exact shape of a key sess issues: 32 characters of `[a-z0-9]`. */
export function isValidSessionKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value);
}

// Domain separation: the same key hashed for another purpose never gives the same id.
const HASH_CONTEXT = 'sess key at rest v1\0';

/**
 * The id a key is stored under when keys are hashed at rest (`hashKeysAtRest`): SHA-256 of the key,
 * written as 32 characters of `[a-z0-9]` (about 165 bits), so it has the shape of a key and every engine
 * stores it as one. One-way: a stolen table or dump of ids yields no cookie that opens a session.
 */
export function hashSessionKey(key: string): string {
  const digest = createHash('sha256').update(HASH_CONTEXT).update(key).digest();
  let id = '';
  for (let i = 0; i < SESSION_KEY_LENGTH; i++) id += SESSION_KEY_CHARS[(digest[i] as number) % 36];
  return id;
}
