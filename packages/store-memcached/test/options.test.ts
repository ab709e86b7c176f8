import { SessionConfigError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore, type MemcachedLike, type MemcachedStoreOptions } from '../src/index.js';
import { resolveMemcachedStoreOptions } from '../src/options.js';

// Option validation is pure logic: a client-shaped object is enough, no server is reached.
const noop = () => {};
const fakeClient = (extra: object = {}): MemcachedLike =>
  ({ gets: noop, add: noop, cas: noop, ...extra }) as MemcachedLike;

function configError(run: () => unknown): SessionConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    return error as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}

describe('createMemcachedStore options', () => {
  it('defaults', () => {
    expect(resolveMemcachedStoreOptions(fakeClient(), undefined)).toEqual({
      prefix: 'sess:',
      operationTimeoutMs: 1000,
      casAttempts: 20,
      maxValueBytes: 1_000_000,
    });
  });

  const valid: [keyof MemcachedStoreOptions, unknown][] = [
    ['prefix', ''],
    ['prefix', 'app:sess:'],
    ['prefix', '~!@#$%^&*()_+{}|:"<>?'],
    ['prefix', 'x'.repeat(210)],
    ['operationTimeoutMs', 1],
    ['operationTimeoutMs', 250],
    ['casAttempts', 1],
    ['casAttempts', 50],
    ['maxValueBytes', 1],
    ['maxValueBytes', 8_000_000],
  ];
  it.each(valid)('accepts %s = %j', (option, value) => {
    const resolved = resolveMemcachedStoreOptions(fakeClient(), { [option]: value });
    expect(resolved[option]).toBe(value);
    expect(() => createMemcachedStore(fakeClient(), { [option]: value })).not.toThrow();
  });

  const invalid: [string, unknown][] = [
    ['prefix', 5],
    ['prefix', null],
    ['prefix', 'has space'],
    ['prefix', 'tab\t'],
    ['prefix', 'line\n'],
    ['prefix', 'nul\u0000'],
    ['prefix', 'del\u007f'],
    ['prefix', 'ünïcode'],
    ['prefix', 'x'.repeat(211)],
    ['operationTimeoutMs', 0],
    ['operationTimeoutMs', -1],
    ['operationTimeoutMs', 1.5],
    ['operationTimeoutMs', Number.NaN],
    ['operationTimeoutMs', Number.POSITIVE_INFINITY],
    ['operationTimeoutMs', '1000'],
    ['operationTimeoutMs', null],
    ['casAttempts', 0],
    ['casAttempts', 2.5],
    ['casAttempts', '10'],
    ['maxValueBytes', 0],
    ['maxValueBytes', -5],
    ['maxValueBytes', 1e300],
    ['timeout', 500],
    ['namespace', 'x'],
  ];
  it.each(invalid)('rejects %s = %j, naming the option', (option, value) => {
    const error = configError(() =>
      createMemcachedStore(fakeClient(), { [option]: value } as MemcachedStoreOptions),
    );
    expect(error.option).toBe(option);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('[@sess/store-memcached]');
    expect(error.message).toContain(`\`${option}\``);
  });

  it.each([
    ['a string', 'sessions'],
    ['an array', []],
    ['null', null],
  ])('rejects options that are %s', (_label, options) => {
    const error = configError(() => createMemcachedStore(fakeClient(), options as MemcachedStoreOptions));
    expect(error.option).toBe('options');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a server list', ['127.0.0.1:11211']],
    ['a client without cas', { get: noop, gets: noop, add: noop, replace: noop, del: noop }],
    ['a client without gets', { get: noop, add: noop, cas: noop }],
    ['a client with a namespace containing a space', fakeClient({ namespace: 'my app:' })],
  ])('rejects a client that is %s', (_label, client) => {
    const error = configError(() => createMemcachedStore(client as MemcachedLike));
    expect(error.option).toBe('client');
  });

  it("counts the client's namespace and a 40-character hashed id towards the 250-byte key limit", () => {
    const client = fakeClient({ namespace: 'ns:' });
    expect(resolveMemcachedStoreOptions(client, { prefix: 'x'.repeat(207) }).prefix).toHaveLength(207);
    const error = configError(() => createMemcachedStore(client, { prefix: 'x'.repeat(208) }));
    expect(error.option).toBe('prefix');
    expect(error.message).toContain('at most 207 characters');
    expect(error.message).toContain('40-character record id');
  });

  it('names every unknown option at once, with the sess way for names from other libraries', () => {
    const error = configError(() =>
      createMemcachedStore(fakeClient(), { ttl: 60, timeout: 5, colour: 'red' } as MemcachedStoreOptions),
    );
    expect(error.option).toBe('ttl');
    expect(error.message).toContain('`ttl`: lifetimes come from the session manager');
    expect(error.message).toContain('`timeout`: use `operationTimeoutMs`');
    expect(error.message).toContain('`colour` is not an option');
  });
});
