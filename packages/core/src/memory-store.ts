import { markInProcess } from './in-process-store.js';
import { declareOptions } from './options/declare-options.js';
import * as option from './options/option-kinds.js';
import type { OptionsInput } from './options/option-spec.js';
import type {
  MetaChange,
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionData,
  SessionRecord,
  SessionStore,
  SessionUpdate,
} from './store/contract.js';
import { applyMetaChange } from './store/record-change.js';
import { storeFailure } from './timeout.js';

export const MEMORY_STORE_OPTIONS = declareOptions('@sess/core', {
  /** At most this many sessions; past it, expired ones go first, then the least recently used. */
  maxEntries: option.integer({ default: 10_000, min: 1 }),
  /** How often (at most) a create sweeps all expired entries, in seconds (fractions allowed). */
  sweepInterval: option.custom<number>({
    default: 60,
    expected: 'a non-negative number of seconds',
    check: (value, invalid) =>
      typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : invalid(),
  }),
  /** Where time comes from. */
  clock: option.clock(),
});

/** Options of {@link createMemoryStore}. */
export type MemoryStoreOptions = OptionsInput<typeof MEMORY_STORE_OPTIONS.specs>;

/**
 * One record. The data is kept as JSON, so no caller can mutate what is stored: as one text when it was
 * written whole (a create, an update without a delta), and split into one `"key":value` text per top-level
 * key from its first delta update on, so that delta rewrites only the keys it changes; the whole text is
 * joined again (and kept) when the record is read. A session created and never changed (a visitor who
 * does not come back) so costs one string, not a map of them.
 */
interface Entry {
  /** The data's texts by key, from the first delta update on; undefined while `json` holds it whole. */
  fields: Map<string, string> | undefined;
  /** The joined JSON of the data, or undefined after a delta update until the next read. */
  json: string | undefined;
  expiresAt: number;
  meta: RecordMeta;
}

/** `"key":value` of one data key, or undefined for a value JSON drops (undefined, a function). */
function field(key: string, value: unknown): string | undefined {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : `${JSON.stringify(key)}:${json}`;
}

const STORE_NAME = '@sess/core MemoryStore';

/**
 * Runs one encoding: a value JSON cannot hold (a BigInt, a cycle) fails as this store's
 * `SessionStoreError`, which the backend passes on as it is (an in-process store reports its own failures).
 */
function encoding<T>(operation: string, encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    throw storeFailure(STORE_NAME, operation, error);
  }
}

/** The `"key":value` texts of `keys` of `data`, in order (undefined for a value JSON drops). */
function encoded(keys: string[], data: SessionData, operation: string): (string | undefined)[] {
  return encoding(operation, () => keys.map((key) => field(key, data[key])));
}

/**
 * The JSON of data written whole: the same text as its fields joined (top-level keys in order, values
 * JSON drops left out). Data with a `toJSON` method of its own would be replaced by what it returns, so
 * it is encoded key by key instead.
 */
function wholeJson(data: SessionData, operation: string): string {
  if (typeof data.toJSON === 'function') return joined(fieldsOf(data, operation).values());
  return encoding(operation, () => JSON.stringify(data));
}

function fieldsOf(data: SessionData, operation: string): Map<string, string> {
  const keys = Object.keys(data);
  const texts = encoded(keys, data, operation);
  const fields = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) {
    const text = texts[i];
    if (text !== undefined) fields.set(keys[i] as string, text);
  }
  return fields;
}

/** `{` + the texts joined with commas + `}`. */
function joined(texts: Iterable<string>): string {
  let json = '';
  for (const text of texts) json = json === '' ? text : `${json},${text}`;
  return `{${json}}`;
}

function jsonOf(entry: Entry): string {
  entry.json ??= joined((entry.fields as Map<string, string>).values());
  return entry.json;
}

/** The entry's texts by key, split from its whole JSON on its first delta update. */
function fieldsFor(entry: Entry): Map<string, string> {
  if (entry.fields) return entry.fields;
  // Text this store wrote from JSON.stringify: it parses back to the same keys and values.
  return fieldsOf(JSON.parse(entry.json as string) as SessionData, 'update');
}

/** A {@link SessionStore} in process memory, with its size read for tests and metrics. */
export interface MemoryStore extends SessionStore {
  readonly owners: OwnerIndex;
  /** How many records are held (expired ones included until swept). */
  readonly size: number;
  /** The raw record of `id`, bypassing expiry: the backdoor for tests. */
  peek(id: string): SessionRecord | null;
}

/**
 * A bounded in-memory store for development, tests and single-process apps. It never keeps the
 * process alive (no timers), supports delta updates and the owner index, and copies data in and out.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxEntries, sweepInterval, clock } = MEMORY_STORE_OPTIONS.resolve(options);
  const sweepMs = sweepInterval * 1000;

  // Map order is recency order: a read or write moves the id to the end.
  const entries = new Map<string, Entry>();
  const byOwner = new Map<string, Set<string>>();
  let lastSweep = clock.now();
  // No entry expires before this instant (a lower bound, exact after each sweep): while it lies ahead, a
  // full store has nothing expired to drop, and a create skips the sweep that would read every entry.
  let nextExpiry = Number.POSITIVE_INFINITY;

  const live = (id: string, now = clock.now()): Entry | undefined => {
    const entry = entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      remove(id);
      return undefined;
    }
    return entry;
  };

  // The key used last, which is already at the end of the map's order: a load and then the update of the
  // same session (one request) move it once, not twice.
  let newest: string | undefined;
  /** Stores `entry` under `id` as the most recently used. */
  const use = (id: string, entry: Entry): void => {
    if (id !== newest) {
      entries.delete(id);
      newest = id;
    }
    entries.set(id, entry);
  };

  const remove = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    if (!entry) return undefined;
    if (id === newest) newest = undefined;
    entries.delete(id);
    if (entry.meta.owner !== undefined) byOwner.get(entry.meta.owner)?.delete(id);
    return entry;
  };

  const put = (id: string, entry: Entry): void => {
    const previous = entries.get(id);
    if (previous?.meta.owner !== undefined && previous.meta.owner !== entry.meta.owner) {
      byOwner.get(previous.meta.owner)?.delete(id);
    }
    use(id, entry);
    if (entry.expiresAt < nextExpiry) nextExpiry = entry.expiresAt;
    if (entry.meta.owner !== undefined) {
      const ids = byOwner.get(entry.meta.owner) ?? new Set<string>();
      byOwner.set(entry.meta.owner, ids);
      ids.add(id);
    }
  };

  const sweep = (now: number): number => {
    let removed = 0;
    let soonest = Number.POSITIVE_INFINITY;
    for (const [id, entry] of entries) {
      if (entry.expiresAt <= now) {
        if (remove(id)) removed++;
      } else if (entry.expiresAt < soonest) soonest = entry.expiresAt;
    }
    nextExpiry = soonest;
    lastSweep = now;
    return removed;
  };

  // Where eviction goes on from: every entry before it was removed, and writes append, so the next key it
  // yields is the least recently used. Starting a fresh iteration for each eviction would step over every
  // entry removed since the map last compacted: thousands per create once a flood of new sessions fills it.
  let evictFrom: Iterator<string> | undefined;

  const evictOldest = (): void => {
    let next = evictFrom?.next();
    if (next === undefined || next.done) {
      evictFrom = entries.keys();
      next = evictFrom.next();
    }
    if (!next.done) remove(next.value);
  };

  const makeRoom = (now: number): void => {
    if (now - lastSweep >= sweepMs) sweep(now);
    if (entries.size < maxEntries) return;
    if (nextExpiry <= now) sweep(now);
    while (entries.size >= maxEntries) evictOldest();
  };

  const record = (entry: Entry): SessionRecord => ({
    data: JSON.parse(jsonOf(entry)) as SessionData,
    expiresAt: entry.expiresAt,
    meta: { ...entry.meta },
  });

  /** The entry after a metadata change, with `fields` as its data. */
  const changed = (
    entry: Entry,
    change: MetaChange,
    fields: Map<string, string> | undefined,
    json?: string,
  ): Entry => {
    const { meta, expiresAt } = applyMetaChange(entry, change);
    return { fields, json, expiresAt, meta };
  };

  const owners: OwnerIndex = {
    async list(owner: string): Promise<OwnedRecord[]> {
      const now = clock.now();
      const found: OwnedRecord[] = [];
      for (const id of [...(byOwner.get(owner) ?? [])]) {
        const entry = live(id, now);
        if (entry) found.push({ id, meta: { ...entry.meta }, expiresAt: entry.expiresAt });
      }
      return found.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
    },
    async destroyAll(owner: string, exceptId?: string): Promise<number> {
      let count = 0;
      for (const id of [...(byOwner.get(owner) ?? [])]) if (id !== exceptId && remove(id)) count++;
      return count;
    },
  };

  const store: MemoryStore = {
    name: STORE_NAME,
    capabilities: { delta: true, ownerIndex: true, nativeExpiry: false, expiryResolution: 'ms' },
    owners,
    get size() {
      return entries.size;
    },
    peek(id: string) {
      const entry = entries.get(id);
      return entry ? record(entry) : null;
    },
    async load(id: string) {
      const entry = live(id);
      if (!entry) return null;
      use(id, entry);
      return record(entry);
    },
    async create(id: string, value: SessionRecord) {
      const now = clock.now();
      if (live(id, now)) return false;
      makeRoom(now);
      put(id, {
        fields: undefined,
        json: wholeJson(value.data, 'create'),
        expiresAt: value.expiresAt,
        meta: { ...value.meta },
      });
      return true;
    },
    async update(id: string, update: SessionUpdate) {
      const entry = live(id);
      if (!entry) return false;
      const delta = update.delta;
      if (!delta) {
        put(id, changed(entry, update.meta, undefined, wholeJson(update.data, 'update')));
        return true;
      }
      // Every value is encoded before any is applied: a failure leaves the record as it was.
      const keys = Object.keys(delta.set);
      const texts = encoded(keys, delta.set, 'update');
      const fields = fieldsFor(entry);
      for (const key of delta.unset) fields.delete(key);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const text = texts[i];
        if (text === undefined) fields.delete(key);
        else fields.set(key, text);
      }
      put(id, changed(entry, update.meta, fields));
      return true;
    },
    async touch(id: string, change: MetaChange) {
      const entry = live(id);
      if (!entry) return false;
      put(id, changed(entry, change, entry.fields, entry.json));
      return true;
    },
    async destroy(id: string) {
      const entry = live(id);
      if (!entry) return null;
      remove(id);
      return { ...entry.meta };
    },
    async clearExpired() {
      return sweep(clock.now());
    },
    async close() {
      entries.clear();
      newest = undefined;
      byOwner.clear();
    },
  };
  markInProcess(store);
  return store;
}
