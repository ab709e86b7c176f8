import { describe, expect, it } from 'vitest';
import {
  generateSessionKey,
  isValidSessionKey,
  SESSION_KEY_CHARS,
  SESSION_KEY_LENGTH,
} from '../src/store/session-key.js';

describe('generateSessionKey', () => {
  it('uses Django’s alphabet and length', () => {
    expect(SESSION_KEY_CHARS).toBe('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(SESSION_KEY_LENGTH).toBe(32);
  });

  it('gives 32 characters of [a-z0-9], distinct across 10,000 calls', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const key = generateSessionKey();
      expect(key).toMatch(/^[a-z0-9]{32}$/);
      keys.add(key);
    }
    expect(keys.size).toBe(10_000);
  });

  it('uses every character about equally often (chi-square over 100,000 characters)', () => {
    const counts = new Map<string, number>([...SESSION_KEY_CHARS].map((c) => [c, 0]));
    const keys = 3125;
    for (let i = 0; i < keys; i++) {
      for (const c of generateSessionKey()) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = (keys * 32) / 36;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 35 degrees of freedom: the mean is 35, and P(χ² > 90) is below 1e-6. A modulo bias of 256 % 36
    // (the first 4 characters drawn 8/7 as often) would give about 200.
    expect(counts.size).toBe(36);
    expect(chiSquare).toBeLessThan(90);
  });
});

describe('isValidSessionKey', () => {
  it.each([generateSessionKey(), 'a'.repeat(32), '0'.repeat(32), 'abcdefghijklmnopqrstuvwxyz012345'])(
    'accepts %j',
    (key) => {
      expect(isValidSessionKey(key)).toBe(true);
    },
  );

  it.each([
    ['31 characters', 'a'.repeat(31)],
    ['33 characters', 'a'.repeat(33)],
    ['upper case', 'A'.repeat(32)],
    ['a path', `../${'a'.repeat(29)}`],
    ['a dash', `${'a'.repeat(31)}-`],
    ['a trailing newline', `${'a'.repeat(32)}\n`],
    ['a leading space', ` ${'a'.repeat(31)}`],
    ['non-ASCII', `${'a'.repeat(31)}é`],
    ['empty', ''],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an array', ['a'.repeat(32)]],
  ])('rejects %s', (_name, value) => {
    expect(isValidSessionKey(value)).toBe(false);
  });
});
