import type { SessionData, SessionStore } from '@sess/core/store';
import type { StoreSuiteOptions } from '@sess/store-test-suite';
import type { Cluster, Redis } from 'ioredis';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from '../../src/index.js';
import { randomPrefix } from './clients.js';

const DATA_PREFIX = 'd:';

/** The data fields of a raw hash, decoded. */
function rawData(raw: unknown): SessionData {
  const data: SessionData = {};
  for (const [field, json] of Object.entries(raw as Record<string, string>)) {
    if (!field.startsWith(DATA_PREFIX)) continue;
    const value: unknown = JSON.parse(json);
    Object.defineProperty(data, field.slice(DATA_PREFIX.length), { value, enumerable: true, writable: true });
  }
  return data;
}

/** The stored bytes of the data fields, in field order, for the touch-leaves-data-alone proof. */
function rawDataBytes(raw: unknown): string {
  const entries = Object.entries(raw as Record<string, string>).filter(([field]) =>
    field.startsWith(DATA_PREFIX),
  );
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Conformance suite options for a store on `client`: a fresh random prefix per store, and a backdoor
 * that reads the session hash with HGETALL (expired hashes are gone: Redis expires natively).
 */
export function suiteOptions(
  label: string,
  client: Redis | Cluster,
  options: RedisStoreOptions = {},
): StoreSuiteOptions {
  const create = () => createRedisStore(client, { ...options, prefix: randomPrefix(label) });
  return {
    create,
    createIsolated: create,
    teardown: async () => {
      await client.quit();
    },
    raw: {
      async read(store: SessionStore, key: string) {
        const hash = await client.hgetall((store as RedisStore).keyOf(key));
        return Object.keys(hash).length === 0 ? null : hash;
      },
      data: rawData,
      dataBytes: rawDataBytes,
    },
  };
}
