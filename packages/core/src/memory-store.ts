import { type Clock, systemClock } from './clock.js';
import { SessionConfigError } from './errors.js';
import type {
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionData,
  SessionRecord,
  SessionStore,
  SessionUpdate,
} from './store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** At most this many sessions; past it, expired ones go first, then the least recently used. @default 10000 */
  maxEntries?: number;
  /** How often (at most) a create sweeps all expired entries, seconds. @default 60 */
  sweepInterval?: number;
  /** Where time comes from. @default the system clock */
  clock?: Clock;
}

const KNOWN_OPTIONS: readonly string[] = ['maxEntries', 'sweepInterval', 'clock'];

interface Entry {
  /** The data as JSON, so no caller can mutate what is stored. */
  json: string;
  expiresAt: number;
  meta: RecordMeta;
}

/** A {@link SessionStore} in process memory, with its size read for tests and metrics. */
export interface MemoryStore extends SessionStore {
  readonly owners: OwnerIndex;
  /** How many records are held (expired ones included until swept). */
  readonly size: number;
  /** The raw record of `key`, bypassing expiry: the backdoor for tests. */
  peek(key: string): SessionRecord | null;
}

/**
 * A bounded in-memory store for development, tests and single-process apps. It never keeps the
 * process alive (no timers), supports delta updates and the owner index, and copies data in and out.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('@sess/core', 'options', 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(name)) {
      throw new SessionConfigError(
        '@sess/core',
        name,
        `a known option (${KNOWN_OPTIONS.join(', ')})`,
        (options as Record<string, unknown>)[name],
      );
    }
  }
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new SessionConfigError('@sess/core', 'maxEntries', 'a positive whole number', maxEntries);
  }
  const sweepInterval = options.sweepInterval ?? 60;
  if (typeof sweepInterval !== 'number' || !Number.isFinite(sweepInterval) || sweepInterval < 0) {
    throw new SessionConfigError(
      '@sess/core',
      'sweepInterval',
      'a non-negative number of seconds',
      sweepInterval,
    );
  }
  const sweepMs = sweepInterval * 1000;
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function')
    throw new SessionConfigError('@sess/core', 'clock', 'an object with now()', clock);

  // Map order is recency order: a read or write moves the key to the end.
  const entries = new Map<string, Entry>();
  const byOwner = new Map<string, Set<string>>();
  let lastSweep = clock.now();
  // No entry expires before this instant (a lower bound, exact after each sweep): while it lies ahead, a
  // full store has nothing expired to drop, and a create skips the sweep that would read every entry.
  let nextExpiry = Number.POSITIVE_INFINITY;

  const live = (key: string, now = clock.now()): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      remove(key);
      return undefined;
    }
    return entry;
  };

  const remove = (key: string): boolean => {
    const entry = entries.get(key);
    if (!entry) return false;
    entries.delete(key);
    if (entry.meta.owner !== undefined) byOwner.get(entry.meta.owner)?.delete(key);
    return true;
  };

  const put = (key: string, entry: Entry): void => {
    const previous = entries.get(key);
    if (previous?.meta.owner !== undefined && previous.meta.owner !== entry.meta.owner) {
      byOwner.get(previous.meta.owner)?.delete(key);
    }
    entries.delete(key);
    entries.set(key, entry);
    if (entry.expiresAt < nextExpiry) nextExpiry = entry.expiresAt;
    if (entry.meta.owner !== undefined) {
      const keys = byOwner.get(entry.meta.owner) ?? new Set<string>();
      byOwner.set(entry.meta.owner, keys);
      keys.add(key);
    }
  };

  const sweep = (now: number): number => {
    let removed = 0;
    let soonest = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) {
        if (remove(key)) removed++;
      } else if (entry.expiresAt < soonest) soonest = entry.expiresAt;
    }
    nextExpiry = soonest;
    lastSweep = now;
    return removed;
  };

  const makeRoom = (now: number): void => {
    if (now - lastSweep >= sweepMs) sweep(now);
    if (entries.size < maxEntries) return;
    if (nextExpiry <= now) sweep(now);
    for (const key of entries.keys()) {
      if (entries.size < maxEntries) break;
      remove(key);
    }
  };

  const record = (entry: Entry): SessionRecord => ({
    data: JSON.parse(entry.json) as SessionData,
    expiresAt: entry.expiresAt,
    meta: { ...entry.meta },
  });

  const owners: OwnerIndex = {
    async list(owner: string): Promise<OwnedRecord[]> {
      const now = clock.now();
      const found: OwnedRecord[] = [];
      for (const key of [...(byOwner.get(owner) ?? [])]) {
        const entry = live(key, now);
        if (entry) found.push({ key, meta: { ...entry.meta }, expiresAt: entry.expiresAt });
      }
      return found.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
    },
    async destroyAll(owner: string, exceptKey?: string): Promise<number> {
      let count = 0;
      for (const key of [...(byOwner.get(owner) ?? [])]) if (key !== exceptKey && remove(key)) count++;
      return count;
    },
  };

  return {
    name: '@sess/core MemoryStore',
    capabilities: { delta: true, ownerIndex: true, nativeExpiry: false, expiryResolution: 'ms' },
    owners,
    get size() {
      return entries.size;
    },
    peek(key: string) {
      const entry = entries.get(key);
      return entry ? record(entry) : null;
    },
    async load(key: string) {
      const entry = live(key);
      if (!entry) return null;
      entries.delete(key);
      entries.set(key, entry);
      return record(entry);
    },
    async create(key: string, value: SessionRecord) {
      const now = clock.now();
      if (live(key, now)) return false;
      makeRoom(now);
      put(key, { json: JSON.stringify(value.data), expiresAt: value.expiresAt, meta: { ...value.meta } });
      return true;
    },
    async update(key: string, update: SessionUpdate) {
      const entry = live(key);
      if (!entry) return false;
      let data: SessionData = update.data;
      if (update.delta) {
        data = JSON.parse(entry.json) as SessionData;
        for (const k of update.delta.unset) delete data[k];
        // Spread, not Object.assign: an own `__proto__` key must stay data, not become a prototype.
        data = { ...data, ...update.delta.set };
      }
      put(key, { json: JSON.stringify(data), expiresAt: update.expiresAt, meta: { ...update.meta } });
      return true;
    },
    async touch(key: string, expiresAt: number, lastSeenAt: number) {
      const entry = live(key);
      if (!entry) return false;
      put(key, { ...entry, expiresAt, meta: { ...entry.meta, lastSeenAt } });
      return true;
    },
    async destroy(key: string) {
      remove(key);
    },
    async clearExpired() {
      return sweep(clock.now());
    },
    async close() {
      entries.clear();
      byOwner.clear();
    },
  };
}
