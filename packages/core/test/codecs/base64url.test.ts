import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../../src/codecs/base64url.js';

describe('encodeBase64Url', () => {
  it('uses the URL-safe alphabet without padding', () => {
    expect(encodeBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(encodeBase64Url(Uint8Array.of(0xff))).toBe('_w');
    expect(encodeBase64Url(Uint8Array.of(0xff, 0xfe))).toBe('__4');
    expect(encodeBase64Url(new Uint8Array(0))).toBe('');
  });

  it('encodes strings as UTF-8', () => {
    expect(encodeBase64Url('{"foo":"bar"}')).toBe('eyJmb28iOiJiYXIifQ');
    expect(encodeBase64Url('é')).toBe('w6k');
  });

  it('respects the view of a Uint8Array over a larger buffer', () => {
    const whole = Uint8Array.of(1, 2, 3, 4, 5);
    expect(encodeBase64Url(whole.subarray(1, 3))).toBe(encodeBase64Url(Uint8Array.of(2, 3)));
  });
});

describe('decodeBase64Url', () => {
  it('decodes what the encoder writes', () => {
    expect(decodeBase64Url('eyJmb28iOiJiYXIifQ')?.toString('utf8')).toBe('{"foo":"bar"}');
    expect(decodeBase64Url('-_-_')).toEqual(Buffer.from([0xfb, 0xff, 0xbf]));
    expect(decodeBase64Url('')).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['padding', 'e30='],
    ['standard alphabet +', 'ab+c'],
    ['standard alphabet /', 'ab/c'],
    ['whitespace', 'e3 0'],
    ['a newline', 'e30\n'],
    ['an impossible length', 'abcde'],
    ['a single character', 'a'],
    ['non-ASCII', 'e3é0'],
    ['a non-canonical last character (2 chars)', '_x'],
    ['a non-canonical last character (3 chars)', '__5'],
  ])('returns null for %s', (_label, text) => {
    expect(decodeBase64Url(text)).toBeNull();
  });

  it('accepts exactly the canonical unpadded base64url strings, whatever the characters', () => {
    const canonical = (text: string) => {
      if (text.length % 4 === 1 || !/^[A-Za-z0-9_-]*$/.test(text)) return false;
      return Buffer.from(text, 'base64url').toString('base64url') === text;
    };
    const characters = fc.constantFrom(
      ...'AZaz09-_+/=. \t\n%é😀\u0000\u00ff\ud800~!*'.split(''),
      'Q',
      'w',
      '8',
      // Outside ASCII, but with the low byte of a base64url character.
      '\u0141',
      '𮐭',
    );
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        const decoded = decodeBase64Url(text);
        expect(decoded !== null).toBe(canonical(text));
        if (decoded) expect(encodeBase64Url(decoded)).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('returns null instead of throwing on a non-string', () => {
    expect(decodeBase64Url(undefined as unknown as string)).toBeNull();
    expect(decodeBase64Url(42 as unknown as string)).toBeNull();
  });
});
