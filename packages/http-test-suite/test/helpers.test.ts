import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import {
  countCalls,
  createFailingStore,
  flipLastCharacter,
  isDeletion,
  parseSetCookie,
} from '../src/index.js';

describe('the suite’s own helpers', () => {
  it('parses a Set-Cookie header, attribute names in lower case', () => {
    const cookie = parseSetCookie('sessionid=abc=; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
    expect(cookie.name).toBe('sessionid');
    expect(cookie.value).toBe('abc=');
    expect([...cookie.attributes]).toEqual([
      ['path', '/'],
      ['max-age', '60'],
      ['httponly', ''],
      ['samesite', 'Lax'],
    ]);
    expect(isDeletion(cookie)).toBe(false);
    expect(isDeletion(parseSetCookie('sessionid=; Path=/; Max-Age=0'))).toBe(true);
  });

  it('flips the last character of a value', () => {
    expect(flipLastCharacter('abc')).toBe('aba');
    expect(flipLastCharacter('xya')).toBe('xyb');
  });

  it('counts the calls of a store, delegating them', async () => {
    const { wrapped, counter } = countCalls(createMemoryStore());
    expect(await wrapped.load('a'.repeat(32))).toBeNull();
    await wrapped.destroy('a'.repeat(32));
    expect(counter.count('load')).toBe(1);
    expect(counter.total()).toBe(2);
    counter.reset();
    expect(counter.total()).toBe(0);
  });

  it('fails the listed operations of the double only while failing is on', async () => {
    const double = createFailingStore(createMemoryStore(), ['load']);
    await expect(double.load('k')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    double.failing = false;
    expect(await double.load('k')).toBeNull();
    double.failing = true;
    await expect(double.destroy('k')).resolves.toBeUndefined();
  });
});
