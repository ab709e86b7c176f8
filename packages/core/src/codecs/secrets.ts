import { Buffer } from 'node:buffer';
import { hkdfSync } from 'node:crypto';
import { SessionConfigError } from '../errors.js';

/** A secret as users configure it: text (used as its UTF-8 bytes) or raw bytes. */
export type Secret = string | Uint8Array;

/** The shortest secret sess's own signer and sealer accept, in characters (string) or bytes (Uint8Array). */
export const MIN_SECRET_LENGTH = 32;

const SOURCE = '@sess/core';

/** What a value is, without ever quoting it: configuration errors about secrets must not echo them. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The bytes of a secret: UTF-8 for text, a copy for bytes. */
export function secretBytes(secret: Secret): Buffer {
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
}

/**
 * Checks an ordered secret list (first one writes, every one reads) and throws
 * {@link SessionConfigError} for a list that is empty or not an array, an entry that is neither a string
 * nor a Uint8Array, or a secret shorter than {@link MIN_SECRET_LENGTH}. The message never contains a secret.
 */
export function assertSecretList(secrets: unknown, option = 'secrets'): asserts secrets is readonly Secret[] {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    const got = Array.isArray(secrets) ? 'an empty array' : kindOf(secrets);
    throw new SessionConfigError(SOURCE, option, `a non-empty array of secrets, newest first (got ${got})`);
  }
  secrets.forEach((secret: unknown, index) => {
    const name = `${option}[${index}]`;
    if (typeof secret === 'string') {
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new SessionConfigError(
          SOURCE,
          name,
          `a string of at least ${MIN_SECRET_LENGTH} characters (this one has ${secret.length})`,
        );
      }
    } else if (secret instanceof Uint8Array) {
      if (secret.byteLength < MIN_SECRET_LENGTH) {
        throw new SessionConfigError(
          SOURCE,
          name,
          `a Uint8Array of at least ${MIN_SECRET_LENGTH} bytes (this one has ${secret.byteLength})`,
        );
      }
    } else {
      throw new SessionConfigError(SOURCE, name, `a string or a Uint8Array (got ${kindOf(secret)})`);
    }
  });
}

/**
 * Derives one 32-byte key per secret with HKDF-SHA256 (RFC 5869): input key material = the secret's
 * bytes, an empty salt, and `info` naming the purpose, so the keys for different uses never coincide.
 */
export function deriveKeys(secrets: readonly Secret[], info: string): Buffer[] {
  return secrets.map((secret) =>
    Buffer.from(hkdfSync('sha256', secretBytes(secret), Buffer.alloc(0), Buffer.from(info, 'utf8'), 32)),
  );
}
