import { createMemoryStore } from '@sess/core';
import { describe, expect, it } from 'vitest';
import {
  countCalls,
  createCallCounter,
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
    const id = 'k'.repeat(32);
    const double = createFailingStore(createMemoryStore(), ['load']);
    await expect(double.load(id)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    double.failing = false;
    expect(await double.load(id)).toBeNull();
    double.failing = true;
    // Contract v2: destroy answers the record's metadata as it was, or null when there was none.
    await expect(double.destroy(id)).resolves.toBeNull();
  });

  it('counts the calls of the backend a provider builds, into one counter', () => {
    const counter = createCallCounter();
    const backend = { name: 'b', open: () => 1, clear: () => [] };
    const { wrapped } = countCalls(backend, counter);
    wrapped.open();
    wrapped.open();
    wrapped.clear();
    expect(counter.count('open')).toBe(2);
    expect(counter.total()).toBe(3);
    expect(wrapped.name).toBe('b');
  });
});
