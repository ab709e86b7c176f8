import { randomUUID } from 'node:crypto';
import { createMemoryStore, type MemoryStore } from '@sess/core';
import type { SessionData, SessionStore } from '@sess/core/store';
import { describe } from 'vitest';
import {
  describeSessionStore,
  destroyTests,
  expiryTests,
  lifecycleTests,
  metadataTests,
  ownerIndexTests,
  recordIdTests,
  serializationTests,
  vanishedTests,
} from '../src/index.js';
import { createDataOnlyStore, type DataOnlyEntry } from './data-only-store.js';
import { createMapStore, type MapBackend, type MapEntry, readMapEntry } from './map-store.js';

describeSessionStore('MemoryStore', {
  create: () => createMemoryStore(),
  createIsolated: () => createMemoryStore(),
  raw: {
    read: async (store: SessionStore, key: string) => (store as MemoryStore).peek(key),
    data: (raw) => (raw as ReturnType<MemoryStore['peek']>)?.data ?? null,
  },
});

const backend: MapBackend = new Map();
const prefixes = new WeakMap<SessionStore, string>();
const mapStore = () => {
  const prefix = `${randomUUID()}:`;
  const store = createMapStore(backend, prefix);
  prefixes.set(store, prefix);
  return store;
};

describeSessionStore('map store without delta or owner index', {
  create: mapStore,
  createIsolated: mapStore,
  raw: {
    read: async (store, key) => readMapEntry(backend, prefixes.get(store) ?? '', key),
    data: (raw) => JSON.parse((raw as MapEntry).json) as SessionData,
    dataBytes: (raw) => (raw as MapEntry).json,
  },
  teardown: async () => {
    backend.clear();
  },
});

// The concerns that apply to a store keeping no metadata (as the Django-format engines run them), plus the
// metadata, destroy and record-id concerns, which prove what such a store does instead.
describe('data-only store (metadata: false)', () => {
  const options = {
    create: createDataOnlyStore,
    createIsolated: createDataOnlyStore,
    raw: {
      read: async (store: SessionStore, id: string) =>
        (store as ReturnType<typeof createDataOnlyStore>).peek(id),
      data: (raw: unknown) => JSON.parse((raw as DataOnlyEntry).json) as SessionData,
      dataBytes: (raw: unknown) => (raw as DataOnlyEntry).json,
    },
  };
  serializationTests(options);
  expiryTests(options);
  vanishedTests(options);
  ownerIndexTests(options);
  metadataTests(options);
  destroyTests(options);
  recordIdTests(options);
  lifecycleTests(options);
});
