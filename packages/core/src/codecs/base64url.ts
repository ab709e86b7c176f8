import { Buffer } from 'node:buffer';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** Value of each base64url character, used to check that the unused trailing bits are zero. */
function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  return code === 45 ? 62 : 63;
}

/**
 * Encodes bytes (or the UTF-8 bytes of a string) as base64url (RFC 4648 §5) without `=` padding,
 * which is the form Django's `urlsafe_b64encode(...).rstrip(b"=")` and the sealed cookie use.
 */
export function encodeBase64Url(bytes: Uint8Array | string): string {
  const buffer =
    typeof bytes === 'string'
      ? Buffer.from(bytes, 'utf8')
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('base64url');
}

/**
 * Decodes unpadded base64url strictly, and never throws.
 *
 * Returns `null` for any character outside `[A-Za-z0-9_-]` (padding, whitespace and the `+/` alphabet
 * included), for a length no encoder can produce (`length % 4 === 1`), and for a non-canonical last
 * character whose unused low bits are not zero. The last rule makes the encoding one-to-one, so a token
 * whose text was changed never decodes to the same bytes as the original.
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (typeof text !== 'string') return null;
  const rest = text.length % 4;
  if (rest === 1 || !ALPHABET.test(text)) return null;
  if (rest !== 0) {
    const unusedBits = rest === 2 ? 0b1111 : 0b11;
    if ((sextet(text.charCodeAt(text.length - 1)) & unusedBits) !== 0) return null;
  }
  return Buffer.from(text, 'base64url');
}
