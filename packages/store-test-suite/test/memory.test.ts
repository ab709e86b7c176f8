import { randomUUID } from 'node:crypto';
import { createMemoryStore, type MemoryStore } from '@sess/core';
import type { SessionData, SessionStore } from '@sess/core/store';
import { describeSessionStore } from '../src/index.js';
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
