import type { SessionStore } from '@sess/core/store';
import { describeSessionStore } from '@sess/store-test-suite';
import { memcachedServers } from '@sess/test-harness';
import { createMemcachedStore, type MemcachedStore } from '../src/index.js';
import { endAll, newClient, randomPrefix, rawDataText, rawGet } from './support.js';

// One client over both servers for the stores, another for the raw backdoor (it bypasses the store).
const client = newClient(memcachedServers());
const raw = newClient(memcachedServers());

describeSessionStore('@sess/store-memcached', {
  create: () => createMemcachedStore(client, { prefix: randomPrefix('suite') }),
  createIsolated: () => createMemcachedStore(client, { prefix: randomPrefix('other') }),
  teardown: () => endAll(client, raw),
  raw: {
    read: (store: SessionStore, key: string) => rawGet(raw, store as MemcachedStore, key),
    data: (value: unknown) => (typeof value === 'string' ? JSON.parse(value).data : null),
    dataBytes: rawDataText,
  },
});
