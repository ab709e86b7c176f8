import { createServer } from 'node:net';
import { encodeEnvelope, generateSessionKey as key } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore } from '../src/index.js';
import {
  change,
  newClient,
  randomPrefix,
  rawGet,
  recordFor,
  setting,
  storeError,
  testClients,
} from './support.js';

const { servers, client, raw, clients } = testClients();

const newStore = () => createMemcachedStore(client, { prefix: randomPrefix('errors') });

describe('errors are surfaced, never read as a miss', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    return address.port;
  }

  it('every operation against a server that refuses connections rejects with STORE_UNAVAILABLE', async () => {
    const dead = newClient(`127.0.0.1:${await closedPort()}`);
    clients.push(dead);
    const store = createMemcachedStore(dead, { prefix: randomPrefix('dead') });
    const k = key();
    // One at a time: concurrent failures push the client into its ping-based reconnect (see README).
    const operations: [string, () => Promise<unknown>][] = [
      ['load', () => store.load(k)],
      ['create', () => store.create(k, recordFor({}, 60_000))],
      ['update', () => store.update(k, { data: {}, meta: change() })],
      ['update', () => store.update(k, { data: {}, delta: setting({}), meta: change() })],
      ['touch', () => store.touch(k, change())],
      ['destroy', () => store.destroy(k)],
    ];
    for (const [operation, run] of operations) {
      const error = await storeError(run());
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.operation).toBe(operation);
      expect(error.message).toMatch(
        new RegExp(`^\\[@sess/store-memcached\\] ${operation} failed: memcached \\w+: `),
      );
      expect(error.cause).toBeDefined();
    }
  });

  it('a session over maxValueBytes is refused before any I/O, and the server stays usable', async () => {
    const store = newStore();
    const k = key();
    const error = await storeError(store.create(k, recordFor({ blob: 'x'.repeat(1_100_000) }, 60_000)));
    expect(error.operation).toBe('create');
    expect(error.message).toContain('maxValueBytes (1000000)');
    expect(await rawGet(raw, store, k)).toBeUndefined();
    expect(await store.create(k, recordFor({ small: true }, 60_000))).toBe(true);
    const big = { data: { blob: 'y'.repeat(1_100_000) }, meta: change() };
    expect((await storeError(store.update(k, big))).operation).toBe('update');
    const bigDelta = { ...big, delta: setting(big.data) };
    expect((await storeError(store.update(k, bigDelta))).operation).toBe('update');
    expect((await store.load(k))?.data).toEqual({ small: true });
  });

  it('an item memcached refuses (SERVER_ERROR, which the client reports as no error) is an error', async () => {
    const own = newClient(servers);
    clients.push(own);
    const store = createMemcachedStore(own, { prefix: randomPrefix('big'), maxValueBytes: 2_000_000 });
    const k = key();
    // 1 048 560 bytes: under the client's own 1 MiB check, over what the server fits in one item.
    const record = recordFor({ b: '' }, 60_000);
    const overhead = encodeEnvelope(record).length;
    record.data.b = 'z'.repeat(1_048_560 - overhead);
    const error = await storeError(store.create(k, record));
    expect(error.operation).toBe('create');
    expect(error.message).toBe(
      '[@sess/store-memcached] create failed: memcached add: the server did not store the item',
    );
  });
});
