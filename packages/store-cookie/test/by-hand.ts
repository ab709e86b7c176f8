import { Buffer } from 'node:buffer';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';

/**
 * Opens a sealed token by hand, following DESIGN.md "The sealed cookie, version 1" rather than the code
 * under test, and returns the plaintext JSON. Throws when it does not open.
 */
export function openByHand(token: string, secret: string, cookieName: string): string {
  if (!token.startsWith('s1.')) throw new Error('not a sealed v1 token');
  const raw = Buffer.from(token.slice(3), 'base64url');
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sess/seal/v1', 32));
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(`s1.${cookieName}`, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plaintext = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  const json = plaintext[0] === 0x01 ? inflateRawSync(plaintext.subarray(1)) : plaintext;
  return json.toString('utf8');
}

/** The whole token of a chunked or single session cookie, from `name=value` pairs in order. */
export function tokenOf(cookies: readonly { name: string; value: string }[]): string {
  const joined = cookies.map((cookie) => cookie.value).join('');
  return joined.replace(/^~\d+~/, '');
}
