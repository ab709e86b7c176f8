import {
  applyMetaChange,
  type MetaChange,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SessionUpdate,
} from '@sess/core/store';

/** How the fake keeps a record: data as JSON text, expiry in whole seconds (like memcached or file mtimes). */
export interface MapEntry {
  json: string;
  expiresAtSeconds: number;
  meta: SessionRecord['meta'];
}

/** A fake "server": one Map many stores share, each under its own prefix. */
export type MapBackend = Map<string, MapEntry>;

/**
 * A deliberately minimal store for the suite's own tests: no delta, no owner index, whole-second expiry
 * that the "server" enforces itself (native expiry), over a Map shared by prefix.
 */
export function createMapStore(backend: MapBackend, prefix: string): SessionStore {
  const at = (key: string) => `${prefix}${key}`;
  const live = (key: string): MapEntry | undefined => {
    const entry = backend.get(at(key));
    if (entry && entry.expiresAtSeconds * 1000 <= Date.now()) {
      backend.delete(at(key));
      return undefined;
    }
    return entry;
  };
  const seconds = (ms: number) => Math.ceil(ms / 1000);
  /** Applies `change` to the entry (read, changed and written in one synchronous step: atomic here). */
  const changeMeta = (entry: MapEntry, change: MetaChange): void => {
    const head = applyMetaChange({ meta: entry.meta, expiresAt: entry.expiresAtSeconds * 1000 }, change);
    entry.expiresAtSeconds = seconds(head.expiresAt);
    entry.meta = head.meta;
  };
  return {
    name: 'map-store (test fake)',
    capabilities: { delta: false, ownerIndex: false, nativeExpiry: true, expiryResolution: 's' },
    async load(key: string) {
      const entry = live(key);
      if (!entry) return null;
      return {
        data: JSON.parse(entry.json) as SessionData,
        expiresAt: entry.expiresAtSeconds * 1000,
        meta: { ...entry.meta },
      };
    },
    async create(key: string, record: SessionRecord) {
      if (live(key)) return false;
      backend.set(at(key), {
        json: JSON.stringify(record.data),
        expiresAtSeconds: seconds(record.expiresAt),
        meta: { ...record.meta },
      });
      return true;
    },
    async update(key: string, update: SessionUpdate) {
      const entry = live(key);
      if (!entry) return false;
      entry.json = JSON.stringify(update.data);
      changeMeta(entry, update.meta);
      return true;
    },
    async touch(key: string, change: MetaChange) {
      const entry = live(key);
      if (!entry) return false;
      changeMeta(entry, change);
      return true;
    },
    async destroy(key: string) {
      const entry = live(key);
      backend.delete(at(key));
      return entry ? { ...entry.meta } : null;
    },
    async clearExpired() {
      return 0;
    },
  };
}

/** The raw entry of `key` as the fake "server" would answer: expired entries are already gone. */
export function readMapEntry(backend: MapBackend, prefix: string, key: string): MapEntry | null {
  const entry = backend.get(`${prefix}${key}`);
  if (!entry || entry.expiresAtSeconds * 1000 <= Date.now()) return null;
  return entry;
}
