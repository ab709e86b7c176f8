import { setTimeout as sleep } from 'node:timers/promises';
import { isSessionError } from '@sess/core';
import type {
  MetaChange,
  RecordMeta,
  SessionData,
  SessionRecord,
  SessionStore,
  SessionUpdate,
} from '@sess/core/store';
import { generateSessionKey } from '@sess/core/store';
import type { ExpectStatic, TestContext } from 'vitest';
import type { StoreSuiteOptions } from './options.js';

/** A fresh store from `options`, closed when the test finishes. */
export async function openStore(
  options: StoreSuiteOptions,
  context: TestContext,
  which: 'create' | 'createIsolated' = 'create',
): Promise<SessionStore> {
  const store = await options[which]();
  context.onTestFinished(async () => {
    await store.close?.();
  });
  return store;
}

/** A new random key, as core issues them. */
export const newKey = generateSessionKey;

/** What a record is made of, with lifetimes relative to now. */
export interface RecordSpec {
  data?: SessionData;
  /** Milliseconds from now until expiry (negative: already expired). @default 1 hour */
  ttlMs?: number;
  owner?: string;
  deadline?: number;
  /** Milliseconds added to `createdAt` (to order records by creation). @default 0 */
  createdOffsetMs?: number;
}

/** A record built from `spec`. */
export function makeRecord(spec: RecordSpec = {}): SessionRecord {
  const now = Date.now();
  const meta: RecordMeta = { createdAt: now - 60_000 + (spec.createdOffsetMs ?? 0), lastSeenAt: now };
  if (spec.owner !== undefined) meta.owner = spec.owner;
  if (spec.deadline !== undefined) meta.deadline = spec.deadline;
  return { data: spec.data ?? { n: 1 }, expiresAt: now + (spec.ttlMs ?? 3_600_000), meta };
}

/** The app's default lifetime every write of the suite carries (`MetaChange.defaultLifetime`): two weeks, seconds. */
export const DEFAULT_LIFETIME = 1_209_600;

/**
 * A whole-record update (no delta) built from `spec`, with the meaning of a v1 whole-record write: the
 * data whole, the expiry as given (without a lifetime of its own), the owner bound to `spec.owner` or
 * unbound (an explicit `null`), the deadline when the spec has one (kept if the record already has one).
 */
export function makeUpdate(spec: RecordSpec = {}): SessionUpdate {
  const record = makeRecord(spec);
  const meta: MetaChange = {
    now: record.meta.lastSeenAt,
    defaultLifetime: DEFAULT_LIFETIME,
    expiry: { expiresAt: record.expiresAt, lifetime: null },
    owner: spec.owner ?? null,
  };
  if (spec.deadline !== undefined) meta.deadline = spec.deadline;
  return { data: record.data, meta };
}

/**
 * The record a whole-record update from {@link makeUpdate} leaves on `from` (data as sent: read the data
 * of a delta update on its own): `createdAt` and an existing deadline kept, `lastSeenAt` the update's instant, the
 * expiry, owner and deadline as the update says, the rotation links of `from` kept.
 */
export function afterUpdate(from: SessionRecord, update: SessionUpdate): SessionRecord {
  const change = update.meta;
  if (!change.expiry) throw new Error('afterUpdate() predicts updates that set the expiry (makeUpdate)');
  const meta: RecordMeta = { createdAt: from.meta.createdAt, lastSeenAt: change.now };
  const owner = change.owner === undefined ? from.meta.owner : change.owner;
  if (owner !== undefined && owner !== null) meta.owner = owner;
  const deadline = from.meta.deadline ?? change.deadline;
  if (deadline !== undefined) meta.deadline = deadline;
  if (change.expiry.lifetime !== null) meta.lifetime = change.expiry.lifetime;
  if (from.meta.previous !== undefined) meta.previous = from.meta.previous;
  if (from.meta.next !== undefined) meta.next = from.meta.next;
  return { data: update.data, expiresAt: change.expiry.expiresAt, meta };
}

/**
 * A touch that sets the expiry to exactly `expiresAt` (no lifetime of its own) at the instant `now`:
 * what a v1 `touch(key, expiresAt, lastSeenAt)` meant.
 */
export function touchTo(expiresAt: number, now = Date.now()): MetaChange {
  return { now, defaultLifetime: DEFAULT_LIFETIME, expiry: { expiresAt, lifetime: null } };
}

/** Creates `record` under a new key, asserting the store accepted it, and returns the key. */
export async function seed(
  store: SessionStore,
  expect: ExpectStatic,
  record = makeRecord(),
): Promise<string> {
  const key = newKey();
  expect(await store.create(key, record)).toBe(true);
  return key;
}

/** Whether the raw backdoor sees anything under `key`; undefined when there is no backdoor. */
export async function rawPresent(options: StoreSuiteOptions, store: SessionStore, key: string) {
  if (!options.raw) return undefined;
  return (await options.raw.read(store, key)) != null;
}

/** Asserts through the backdoor (when given) that nothing is stored under `key`. */
export async function expectRawAbsent(
  options: StoreSuiteOptions,
  store: SessionStore,
  key: string,
  expect: ExpectStatic,
): Promise<void> {
  if (options.raw) expect((await options.raw.read(store, key)) ?? null, 'raw storage').toBeNull();
}

/**
 * Asserts through the backdoor that `key` is stored, and when the backdoor decodes data, that the
 * stored data is `data`.
 */
export async function expectRawData(
  options: StoreSuiteOptions,
  store: SessionStore,
  key: string,
  data: SessionData,
  expect: ExpectStatic,
): Promise<void> {
  if (!options.raw) return;
  const raw = await options.raw.read(store, key);
  expect(raw, 'raw storage').not.toBeNull();
  expect(raw, 'raw storage').not.toBeUndefined();
  if (options.raw.data) expect(options.raw.data(raw), 'raw data').toEqual(data);
}

/** Asserts two instants are equal within the engine's expiry resolution. */
export function expectInstant(
  store: SessionStore,
  expect: ExpectStatic,
  actual: number,
  wanted: number,
): void {
  if (store.capabilities.expiryResolution === 'ms') expect(actual).toBe(wanted);
  else expect(Math.abs(actual - wanted)).toBeLessThan(1000);
}

/** Asserts `loaded` is `record` (data and meta exactly, expiry within the engine's resolution). */
export function expectRecord(
  store: SessionStore,
  expect: ExpectStatic,
  loaded: SessionRecord | null,
  record: SessionRecord,
): void {
  expect(loaded).not.toBeNull();
  if (!loaded) return;
  expect(loaded.data).toEqual(record.data);
  expect(loaded.meta).toEqual(record.meta);
  expectInstant(store, expect, loaded.expiresAt, record.expiresAt);
}

/** A short lifetime the engine can honour: whole seconds stores get more headroom. */
export function shortTtlMs(store: SessionStore): number {
  return store.capabilities.expiryResolution === 's' ? 2000 : 1200;
}

/** Waits until the record expiring at `expiresAt` must be gone, given the engine's resolution. */
export async function waitPastExpiry(store: SessionStore, expiresAt: number): Promise<void> {
  // A seconds engine may round the instant up a second, and its clock ticks once a second.
  const slack = store.capabilities.expiryResolution === 's' ? 2100 : 150;
  const ms = expiresAt + slack - Date.now();
  if (ms > 0) await sleep(ms);
}

/** Test timeout for tests that wait for expiry: the wait plus room for slow servers. */
export const EXPIRY_TEST_TIMEOUT_MS = 20_000;

/**
 * Runs `operation`, which may resolve (returned as `{ value }`) or throw; a throw must be a SessionError
 * from core's hierarchy (returned as `{ error }`), anything else fails the test.
 */
export async function settle<T>(
  expect: ExpectStatic,
  label: string,
  operation: () => Promise<T>,
): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await operation() };
  } catch (error) {
    expect(isSessionError(error), `${label} threw a non-SessionError: ${String(error)}`).toBe(true);
    return { error };
  }
}
