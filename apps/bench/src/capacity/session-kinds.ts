import { createHash } from 'node:crypto';
import { type Clock, createSessionManager } from '@sess/core';
import { isRecordId, type SessionRecord, type SessionStore } from '@sess/core/store';
import { loggedInData, USER_ID } from './visitor.js';

/** The sessions sized at rest. */
export const SESSION_KINDS = ['anonymous', 'loggedIn'] as const;

/** One of {@link SESSION_KINDS}. */
export type SessionKind = (typeof SESSION_KINDS)[number];

/** What each session holds, for the tables. */
export const SESSION_KIND_TEXT: Record<SessionKind, string> = {
  anonymous: 'anonymous `{ num_visits: 3 }`',
  loggedIn: 'logged in: `{ passport: { user }, csrf, flash: [] }`, owner bound',
};

/**
 * Saves a session of `kind` through a real manager over `store`, as a request would (the logged-in one
 * as a login does: `cycleKey()`, `setOwner()`, the passport data), and returns its record id.
 */
export async function saveSession(kind: SessionKind, store: SessionStore, clock: Clock): Promise<string> {
  const manager = createSessionManager({ store, clock });
  const request = manager.open();
  const session = await request.load();
  if (kind === 'anonymous') {
    session.set('num_visits', 3);
  } else {
    await session.cycleKey();
    await session.setOwner(USER_ID);
    session.update(loggedInData());
  }
  const result = await request.commit(200);
  const key = result.cookies.find((c) => c.name === manager.options.cookieName)?.value;
  if (!key) throw new Error(`capacity: saving the ${kind} session set no cookie`);
  return key;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The `i`-th of a fixed sequence of keys that look as random as generated ones (32 characters of
 * `[a-z0-9]`): the same on every run, so an index over them takes the same pages every time.
 */
export function sequenceKey(seed: string, i: number): string {
  const digest = createHash('sha256').update(`${seed}:${i}`).digest();
  let key = '';
  for (let j = 0; j < 32; j++) key += ALPHABET[(digest[j] ?? 0) % ALPHABET.length];
  if (!isRecordId(key)) throw new Error(`capacity: ${key} is not a record id`);
  return key;
}

/**
 * `n` records shaped like `record`, each under a key of its own from {@link sequenceKey} and a millisecond
 * later than the one before (as sessions made one after another are: no index sees `n` equal instants,
 * which PostgreSQL would deduplicate); an owned one gets an owner of its own of the same length (in the
 * owner and in the passport data), as `n` different users would.
 */
export function* copiesOf(record: SessionRecord, n: number): Generator<[id: string, record: SessionRecord]> {
  const { createdAt, lastSeenAt, owner } = record.meta;
  for (let i = 1; i <= n; i++) {
    const meta = { ...record.meta, createdAt: createdAt + i, lastSeenAt: lastSeenAt + i };
    let data = record.data;
    if (owner !== undefined) {
      meta.owner = String(Number(USER_ID) + i).padStart(USER_ID.length, '0');
      if (data.passport) data = { ...data, passport: { user: meta.owner } };
    }
    yield [sequenceKey(owner ?? 'anonymous', i), { data, expiresAt: record.expiresAt + i, meta }];
  }
}

/** Creates every record of `records` in `store`, `parallel` at a time; throws if one was not created. */
export async function createAll(
  store: SessionStore,
  records: Iterable<[string, SessionRecord]>,
  parallel = 16,
): Promise<void> {
  const iterator = records[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const [id, record] = next.value;
      if (!(await store.create(id, record))) throw new Error(`capacity: record ${id} was not created`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
