import { randomBytes } from 'node:crypto';
import type { RecordMeta, SessionData } from '@sess/core/store';
import {
  createMemcachedStore,
  type MemcachedStore,
  type MemcachedStoreOptions,
  recommendedClientOptions,
} from '@sess/store-memcached';
import { memcachedServers } from '@sess/test-harness';
import Memcached from 'memcached';
import type { Engine, RawRecord } from './engine.js';

/** The memcached client the store README recommends, on `servers`. */
export const memcachedClient = (servers: string | string[]): Memcached =>
  new Memcached(servers, { ...recommendedClientOptions });

/** Reads `key` with `client` (not the store's): core's JSON envelope parsed, or null on a miss. */
export function rawMemcachedRecord(client: Memcached, store: MemcachedStore, key: string) {
  return new Promise<RawRecord | null>((resolve, reject) => {
    client.get(store.keyOf(key), (error: unknown, value: unknown) => {
      if (error) return reject(error);
      if (value === undefined || value === false) return resolve(null);
      const envelope = JSON.parse(String(value)) as {
        expiresAt: number;
        meta: RecordMeta;
        data: SessionData;
      };
      resolve({ data: envelope.data, expiresAt: envelope.expiresAt, meta: envelope.meta });
    });
  });
}

/**
 * `@sess/store-memcached` over the run's two servers (or `servers`); raw reads go through a second client.
 * `options` go to every store (a random `prefix` is always added).
 */
export function memcachedEngine(
  servers: string[] = memcachedServers(),
  options: Omit<MemcachedStoreOptions, 'prefix'> = {},
): Engine {
  const client = memcachedClient(servers);
  const rawClient = memcachedClient(servers);
  return {
    name: 'memcached',
    title: 'memcached',
    realTimeExpiry: true,
    async storage() {
      const store = createMemcachedStore(client, {
        ...options,
        prefix: `integ-${randomBytes(6).toString('hex')}:`,
      });
      return { store, raw: (key) => rawMemcachedRecord(rawClient, store, key) };
    },
    close: async () => {
      client.end();
      rawClient.end();
    },
  };
}
