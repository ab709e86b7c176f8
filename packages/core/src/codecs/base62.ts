/** The digits of Django's base 62, in value order: `0-9`, then `A-Z`, then `a-z`. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code >= 97 && code <= 122) return code - 61;
  return -1;
}

/**
 * Encodes a safe integer the way Django's `b62_encode` does (the timestamp of a signed value):
 * most significant digit first, `'0'` for zero, a `-` prefix for negative numbers.
 * Throws a `RangeError` for anything but a safe integer.
 */
export function encodeBase62(value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`[@sess/core] base 62 encodes safe integers only, received ${String(value)}`);
  }
  if (value === 0) return '0';
  let rest = Math.abs(value);
  let text = '';
  while (rest > 0) {
    text = BASE62_ALPHABET[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return value < 0 ? `-${text}` : text;
}

/**
 * Decodes Django's base 62 (`b62_decode`), and never throws. Leading zeros are accepted, as Django
 * accepts them. Returns `null` for an empty string, a lone `-`, a character outside the alphabet, or a
 * value beyond `Number.MAX_SAFE_INTEGER`.
 */
export function decodeBase62(text: string): number | null {
  if (typeof text !== 'string') return null;
  const negative = text.startsWith('-');
  const start = negative ? 1 : 0;
  if (text.length === start) return null;
  let value = 0;
  for (let index = start; index < text.length; index++) {
    const digit = digitValue(text.charCodeAt(index));
    if (digit < 0) return null;
    value = value * 62 + digit;
    if (value > Number.MAX_SAFE_INTEGER) return null;
  }
  return negative && value !== 0 ? -value : value;
}
