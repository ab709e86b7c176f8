import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, decodeBase62, encodeBase62 } from '../../src/codecs/base62.js';

describe('base62', () => {
  it.each([
    [0, '0'],
    [9, '9'],
    [10, 'A'],
    [35, 'Z'],
    [36, 'a'],
    [61, 'z'],
    [62, '10'],
    [-62, '-10'],
    [1700000000, '1r31eq'],
    [1234567890, '1LY7VK'],
    [1735689600, '1tSm9Y'],
    [1600000000, '1kHR5c'],
    [1762000000, '1vFAgq'],
    [Number.MAX_SAFE_INTEGER, 'fFgnDxSe7'],
  ])('%d is %s', (value, text) => {
    expect(encodeBase62(value)).toBe(text);
    expect(decodeBase62(text)).toBe(value);
  });

  it('has Django’s alphabet', () => {
    expect(BASE62_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  });

  it('accepts leading zeros, as Django does, and never yields -0', () => {
    expect(decodeBase62('0001')).toBe(1);
    expect(Object.is(decodeBase62('-0'), 0)).toBe(true);
  });

  it.each(['', '-', '+1', '1 ', '1.5', 'é', '--1', '_', 'fFgnDxSe8', 'zzzzzzzzzzzz'])(
    'rejects %j',
    (text) => {
      expect(decodeBase62(text)).toBeNull();
    },
  );

  it('rejects non-strings without throwing', () => {
    expect(decodeBase62(null as unknown as string)).toBeNull();
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses to encode %d', (value) => {
    expect(() => encodeBase62(value)).toThrow(RangeError);
  });
});
