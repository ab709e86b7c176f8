import { SessionConfigError } from '@sess/core';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStoreOptions } from '../src/index.js';

// Real ioredis clients that never connect: construction-time validation needs no server.
const client = new Redis({ lazyConnect: true });
const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });

afterAll(() => {
  client.disconnect();
  cluster.disconnect();
});

const invalid = (options: unknown) => () => createRedisStore(client, options as RedisStoreOptions);

describe('options', () => {
  it.each([
    [undefined, 'sess:', true],
    [{}, 'sess:', true],
    [{ prefix: 'app:sessions:' }, 'app:sessions:', true],
    [{ prefix: '' }, '', true],
    [{ ownerIndex: false }, 'sess:', false],
    [{ ownerIndex: true, prefix: 'p' }, 'p', true],
  ])('accepts %j (prefix %j, ownerIndex %j)', (options, prefix, ownerIndex) => {
    const store = createRedisStore(client, options);
    expect(store.prefix).toBe(prefix);
    expect(store.capabilities.ownerIndex).toBe(ownerIndex);
    expect(store.owners !== undefined).toBe(ownerIndex);
    expect(store.name).toBe('@sess/store-redis');
  });

  it.each([
    [{ prefix: '{app}:' }, 'prefix'],
    [{ prefix: 'app}' }, 'prefix'],
    [{ prefix: 'a{' }, 'prefix'],
    [{ prefix: 42 }, 'prefix'],
    [{ prefix: null }, 'prefix'],
    [{ ownerIndex: 'yes' }, 'ownerIndex'],
    [{ ownerIndex: 1 }, 'ownerIndex'],
    [{ perfix: 'typo:' }, 'perfix'],
    [{ ttl: 60 }, 'ttl'],
    ['sess:', 'options'],
    [null, 'options'],
    [[], 'options'],
  ])('rejects %j, naming `%s`', (options, option) => {
    const error = (() => {
      try {
        invalid(options)();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe(option);
    expect((error as SessionConfigError).code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('@sess/store-redis');
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a URL string', 'redis://localhost'],
    ['an object without commands', { get: () => null }],
  ])('rejects %s as the client', (_label, value) => {
    expect(() => createRedisStore(value as never)).toThrow(SessionConfigError);
    expect(() => createRedisStore(value as never)).toThrow(/`client`/);
  });

  it('takes an ioredis Redis and an ioredis Cluster as they are', () => {
    expect(createRedisStore(client).capabilities.delta).toBe(true);
    expect(createRedisStore(cluster).capabilities.delta).toBe(true);
  });

  it('lays keys out as <prefix>{<key>} and <prefix>owner:{<owner>}', () => {
    const store = createRedisStore(client, { prefix: 'app:' });
    expect(store.keyOf('abc')).toBe('app:{abc}');
    expect(store.ownerKeyOf('42')).toBe('app:owner:{42}');
  });
});
