import { generateSessionKey as key } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore } from '../src/index.js';
import {
  change,
  randomPrefix,
  rawDataText,
  rawGet,
  recordFor,
  setting,
  storeError,
  testClients,
  withRace,
} from './support.js';

// Races are provoked deterministically: a wrapper around the real client lets a competing write land
// between the store's `gets` and its `cas`.
const { client, raw } = testClients();

describe('races provoked between gets and the write', () => {
  it('a write landing between gets and cas makes the delta retry on top of it', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, async (attempt) => {
        if (attempt === 1)
          expect(await plain.update(k, { data: { a: 'theirs', c: 3 }, meta: change() })).toBe(true);
      }),
      { prefix },
    );
    const update = { data: { a: 1, b: 2 }, delta: { set: { b: 2 }, unset: ['c'] }, meta: change() };
    expect(await racing.update(k, update)).toBe(true);
    expect((await plain.load(k))?.data).toEqual({ a: 'theirs', b: 2 });
  });

  it('a destroy landing between gets and cas: the update and the touch report false and nothing comes back', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ a: 1 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    const destroyed: unknown[] = [];
    const racing = createMemcachedStore(
      withRace(client, async () => destroyed.push(await plain.destroy(k))),
      { prefix },
    );
    expect(await racing.update(k, { data: {}, delta: setting({ b: 2 }), meta: change() })).toBe(false);
    expect(destroyed).toEqual([record.meta]);
    expect(await racing.touch(k, change())).toBe(false);
    expect(await rawGet(raw, plain, k)).toBeUndefined();
  });

  it('a destroy landing between gets and cas: the whole update reports false and nothing comes back', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    expect(await plain.create(k, recordFor({ a: 1 }, 60_000))).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, () => plain.destroy(k)),
      { prefix },
    );
    expect(await racing.update(k, { data: { late: true }, meta: change() })).toBe(false);
    expect(await rawGet(raw, plain, k)).toBeUndefined();
  });

  it('a touch racing an update rewrites only the expiry and the metadata around the new data bytes', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ step: 1 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    const racing = createMemcachedStore(
      withRace(client, async (attempt) => {
        if (attempt === 1)
          expect(await plain.update(k, { data: { step: 2, ü: '😀' }, meta: change() })).toBe(true);
      }),
      { prefix },
    );
    const before = rawDataText(await rawGet(raw, plain, k));
    expect(before).toBe('{"step":1}');
    const touch = change({ expiry: { expiresAt: Date.now() + 7_200_000, lifetime: null } });
    expect(await racing.touch(k, touch)).toBe(true);
    const after = await rawGet(raw, plain, k);
    expect(rawDataText(after)).toBe('{"step":2,"ü":"😀"}');
    expect(JSON.parse(after as string)).toMatchObject({
      expiresAt: touch.expiry?.expiresAt,
      meta: { lastSeenAt: touch.now },
    });
  });

  it('gives up with a SessionStoreError when every round loses, after casAttempts rounds', async () => {
    const prefix = randomPrefix('race');
    const plain = createMemcachedStore(client, { prefix });
    const k = key();
    const record = recordFor({ n: 0 }, 60_000);
    expect(await plain.create(k, record)).toBe(true);
    let rounds = 0;
    const racing = createMemcachedStore(
      withRace(client, async () => {
        rounds++;
        expect(await plain.update(k, { data: { n: rounds }, meta: change() })).toBe(true);
      }),
      { prefix, casAttempts: 3 },
    );
    const error = await storeError(
      racing.update(k, { data: {}, delta: setting({ mine: true }), meta: change() }),
    );
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.operation).toBe('update');
    expect(error.message).toContain('[@sess/store-memcached] update gave up');
    expect(rounds).toBe(3);
    expect((await plain.load(k))?.data).toEqual({ n: 3 });
  });
});
