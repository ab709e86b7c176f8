import { Buffer } from 'node:buffer';

/**
 * Encodes bytes (or the UTF-8 bytes of a string) as base64url (RFC 4648 §5) without `=` padding,
 * which is the form Django's `urlsafe_b64encode(...).rstrip(b"=")` and the sealed cookie use.
 */
export function encodeBase64Url(bytes: Uint8Array | string): string {
  // A Buffer (what the codecs hand over) is encoded as it is, without a second view of its memory.
  if (Buffer.isBuffer(bytes)) return bytes.toString('base64url');
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
 * character whose unused low bits are not zero. The encoding is then one-to-one, so a token whose text
 * was changed never decodes to the same bytes as the original. All three come down to one rule: the bytes
 * must encode back to the very same text (Node's decoder is lenient; its encoder writes only the canonical
 * form), which native code checks faster than a pattern over every character.
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
