import { randomBytes } from 'node:crypto';

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
