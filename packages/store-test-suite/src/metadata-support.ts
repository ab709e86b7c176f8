import { isSessionError } from '@sess/core';
import type { MetaChange, RecordMeta, SessionRecord, SessionStore } from '@sess/core/store';
import type { ExpectStatic } from 'vitest';
import { DEFAULT_LIFETIME, expectInstant, expectRecord, makeRecord, seed } from './support.js';

/** The metadata fields a store without `capabilities.metadata` keeps none of. */
export const KEPT_META_FIELDS = ['owner', 'deadline', 'lifetime', 'previous', 'next'] as const;

/** The error code of `CapabilityMissing`: the one refusal a data-only store may answer with. */
const CAPABILITY_MISSING = 'CAPABILITY_MISSING';

/** True when the store keeps metadata (`capabilities.metadata` absent or true). */
export function keepsMetadata(store: SessionStore): boolean {
  return store.capabilities.metadata !== false;
}

/** A {@link MetaChange} at `now` carrying `fields` and nothing else (no expiry: a refresh). */
export function metaChange(fields: Partial<MetaChange> = {}, now = Date.now()): MetaChange {
  return { now, defaultLifetime: DEFAULT_LIFETIME, ...fields };
}

/**
 * A request that loaded the record and saves later from that stale view: it changes one data key of its
 * own (as a delta, with the whole data it sees) and none of the metadata, as any ordinary request does.
 */
export interface StaleWriter {
  /** The record as this writer loaded it. */
  readonly view: SessionRecord;
  /** Saves the writer's data change with a {@link MetaChange} that sets nothing but `now`. */
  update(now?: number): Promise<boolean>;
  /** Touches the record with a {@link MetaChange} that sets nothing but `now`. */
  touch(now?: number): Promise<boolean>;
}

/** Loads `id` now (asserting it is there) and returns a writer that saves from that view later. */
export async function staleWriter(
  store: SessionStore,
  expect: ExpectStatic,
  id: string,
  name: string,
): Promise<StaleWriter> {
  const view = await store.load(id);
  expect(view, `${name} loads the record`).not.toBeNull();
  const data = { ...view?.data, [name]: true };
  return {
    view: view as SessionRecord,
    update: (now = Date.now()) =>
      store.update(id, { data, delta: { set: { [name]: true }, unset: [] }, meta: metaChange({}, now) }),
    touch: (now = Date.now()) => store.touch(id, metaChange({}, now)),
  };
}

/**
 * Asserts `loaded` is `record` as the store can keep it: whole with metadata, else data and expiry (a
 * data-only store reports its own `createdAt` / `lastSeenAt`).
 */
export function expectKept(
  store: SessionStore,
  expect: ExpectStatic,
  loaded: SessionRecord | null,
  record: SessionRecord,
): void {
  if (keepsMetadata(store)) {
    expectRecord(store, expect, loaded, record);
    return;
  }
  expect(loaded).not.toBeNull();
  expect(loaded?.data).toEqual(record.data);
  if (loaded) expectInstant(store, expect, loaded.expiresAt, record.expiresAt);
}

/** Asserts `meta` holds none of the fields a data-only store cannot keep. */
export function expectNoKeptMeta(expect: ExpectStatic, meta: RecordMeta | undefined, label: string): void {
  expect(meta, label).toBeDefined();
  for (const field of KEPT_META_FIELDS) expect(meta, `${label}: meta.${field}`).not.toHaveProperty(field);
}

/**
 * What a store declaring `metadata: false` does with a {@link MetaChange} carrying `fields`, through
 * `update` and through `touch`: each either applies the write (true) and keeps none of the metadata, or
 * refuses a value it cannot store with `CapabilityMissing` and leaves the record as it was. A change
 * that stores nothing (`null`s, a lifetime, which core sends with every `setExpiry()`) must be accepted.
 */
export async function expectDataOnly(
  store: SessionStore,
  expect: ExpectStatic,
  fields: Partial<MetaChange>,
): Promise<void> {
  expect(store.capabilities.metadata).toBe(false);
  expect(store.capabilities.ownerIndex, 'an owner index needs stored owners').toBe(false);
  const refusable =
    typeof fields.owner === 'string' ||
    fields.deadline !== undefined ||
    typeof fields.previous === 'string' ||
    typeof fields.next === 'string';
  const record = makeRecord({ data: { kept: 'data' } });
  const id = await seed(store, expect, record);
  const writes = {
    update: () => store.update(id, { data: { kept: 'data', more: 1 }, meta: metaChange(fields) }),
    touch: () => store.touch(id, metaChange(fields)),
  };
  for (const [label, write] of Object.entries(writes)) {
    try {
      expect(await write(), label).toBe(true);
    } catch (error) {
      expect(isSessionError(error) && error.code, `${label} threw ${String(error)}`).toBe(CAPABILITY_MISSING);
      expect(refusable, `${label} refused ${JSON.stringify(fields)}, which stores nothing`).toBe(true);
    }
    const loaded = await store.load(id);
    expect(loaded, `${label}: the record is still there`).not.toBeNull();
    expectNoKeptMeta(expect, loaded?.meta, `${label}: load`);
  }
  const destroyed = await store.destroy(id);
  expect(destroyed, 'destroy returns meta for a record that was there').not.toBeNull();
  expectNoKeptMeta(expect, destroyed ?? undefined, 'destroy');
}
