import { createHmac, timingSafeEqual } from 'node:crypto';
import { SessionConfigError } from '../errors.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { assertSecretList, deriveKeys, type Secret } from './secrets.js';

/** The HKDF `info` of signing keys, before the optional `:purpose`. */
export const SIGNER_KEY_INFO = 'sess/sign/v1';

const SIGNATURE_LENGTH = 43;

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /**
   * Ordered secrets, newest first: the first signs, every one verifies (rotation). Each must be at least
   * 32 characters (string) or 32 bytes (Uint8Array).
   */
  readonly secrets: readonly Secret[];
  /**
   * Separates the keys of different uses of the same secrets: a value signed for one purpose does not
   * verify for another.
   * @default no purpose
   */
  readonly purpose?: string;
}

/** A verified value, with the index of the secret that verified it (0 is the newest). */
export interface UnsignedValue {
  readonly value: string;
  readonly secretIndex: number;
}

/** sess's own HMAC-SHA256 signer, returned by {@link createSigner}. */
export interface Signer {
  /** Returns `value.signature`, the signature being base64url (no padding) HMAC-SHA256 under the first secret. */
  sign(value: string): string;
  /**
   * Verifies `value.signature` against each secret in order, in constant time per comparison, and
   * returns the value with the index of the matching secret, or `null`. Never throws.
   */
  unsign(signed: string): UnsignedValue | null;
}

/**
 * Creates an HMAC-SHA256 signer with ordered secret rotation. One key per secret is derived once, here,
 * with HKDF-SHA256 and info `sess/sign/v1` (plus `:purpose` when given).
 * Throws {@link SessionConfigError} for an empty secret list, a short secret or a non-string purpose.
 */
export function createSigner(options: SignerOptions): Signer {
  const { secrets, purpose } = options;
  assertSecretList(secrets);
  if (purpose !== undefined && typeof purpose !== 'string') {
    throw new SessionConfigError('@sess/core', 'purpose', 'a string', purpose);
  }
  const keys = deriveKeys(secrets, purpose ? `${SIGNER_KEY_INFO}:${purpose}` : SIGNER_KEY_INFO);
  const mac = (key: Buffer, value: string): Buffer =>
    createHmac('sha256', key).update(value, 'utf8').digest();
  const [signingKey] = keys as [Buffer, ...Buffer[]];

  return {
    sign(value: string): string {
      return `${value}.${encodeBase64Url(mac(signingKey, value))}`;
    },
    unsign(signed: string): UnsignedValue | null {
      if (typeof signed !== 'string') return null;
      const dot = signed.lastIndexOf('.');
      if (dot < 0 || signed.length - dot - 1 !== SIGNATURE_LENGTH) return null;
      const signature = decodeBase64Url(signed.slice(dot + 1));
      if (signature === null) return null;
      const value = signed.slice(0, dot);
      for (let index = 0; index < keys.length; index++) {
        if (timingSafeEqual(mac(keys[index] as Buffer, value), signature))
          return { value, secretIndex: index };
      }
      return null;
    },
  };
}
