import { applyMetaChange, type MetaChange, type RecordMeta, type SessionRecord } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createDbStore, type DbStore } from '../src/index.js';
import {
  countingPool,
  DEFAULT_LIFETIME,
  newHashedId,
  newKey,
  openTestDb,
  type RawRow,
  rawRow,
  uniqueTable,
} from './support.js';

/**
 * The rules of a MetaChange, applied by one SQL statement, against core's reference implementation
 * (`applyMetaChange`): every stored record below, under every change below, through `update` (whole data),
 * `update` (delta) and `touch`, must leave exactly the row the reference computes.
 */
const db = await openTestDb('store_db_meta_change');
const t0 = Date.now();
const now = t0 + 5_000;
const [previousId, nextId, otherId] = [newHashedId(), newKey(), newHashedId()];

const stored: [string, { expiresAt: number; meta: RecordMeta }][] = [
  ['a plain record', { expiresAt: t0 + 3_600_000, meta: { createdAt: t0, lastSeenAt: t0 } }],
  [
    'an owned record with its own lifetime, a deadline and links',
    {
      expiresAt: t0 + 300_000,
      meta: {
        createdAt: t0 - 60_000,
        lastSeenAt: t0,
        owner: 'alice',
        lifetime: 300,
        deadline: t0 + 200_000,
        previous: previousId,
        next: nextId,
      },
    },
  ],
  [
    'a fixed instant (lifetime 0)',
    { expiresAt: t0 + 30_000, meta: { createdAt: t0, lastSeenAt: t0, lifetime: 0 } },
  ],
  [
    'a record with a deadline only',
    { expiresAt: t0 + 60_000, meta: { createdAt: t0, lastSeenAt: t0, deadline: t0 + 600_000 } },
  ],
  ['a 60 s lifetime', { expiresAt: t0 + 60_000, meta: { createdAt: t0, lastSeenAt: t0, lifetime: 60 } }],
];

const base: MetaChange = { now, defaultLifetime: DEFAULT_LIFETIME };
const changes: [string, MetaChange][] = [
  ['nothing but the write itself', base],
  ['an owner bound', { ...base, owner: 'bob' }],
  ['the owner unbound', { ...base, owner: null }],
  [
    'an expiry with its lifetime (setExpiry(60))',
    { ...base, expiry: { expiresAt: now + 60_000, lifetime: 60 } },
  ],
  [
    'an expiry back to the default lifetime',
    { ...base, expiry: { expiresAt: now + 3_600_000, lifetime: null } },
  ],
  ['a fixed expiry (setExpiry(date))', { ...base, expiry: { expiresAt: now + 120_000, lifetime: 0 } }],
  ['a deadline', { ...base, deadline: now + 100_000 }],
  ['a deadline later than the stored one', { ...base, deadline: t0 + 900_000 }],
  ['rotation links set', { ...base, previous: otherId, next: newKey() }],
  ['rotation links cleared', { ...base, previous: null, next: null }],
  ['a short default lifetime', { ...base, defaultLifetime: 30 }],
  [
    'everything at once',
    {
      now,
      defaultLifetime: 45,
      owner: 'carol',
      deadline: now + 50_000,
      expiry: { expiresAt: now + 40_000, lifetime: 40 },
      previous: otherId,
      next: null,
    },
  ],
];

/** The row the reference says `change` leaves on `head` (data and created_at aside). */
function expectedRow(head: { expiresAt: number; meta: RecordMeta }, change: MetaChange) {
  const { meta, expiresAt } = applyMetaChange(head, change);
  return {
    expiresAt,
    createdAt: meta.createdAt,
    lastSeenAt: meta.lastSeenAt,
    owner: meta.owner ?? null,
    deadline: meta.deadline ?? null,
    lifetime: meta.lifetime ?? null,
    previous: meta.previous ?? null,
    next: meta.next ?? null,
  };
}

async function setup() {
  const table = uniqueTable('meta');
  const pool = countingPool(db.pool);
  const store = createDbStore(pool, { tableName: table });
  await store.migrate();
  return { store, pool, raw: (id: string) => rawRow(db.pool, table, id) };
}

type Write = (store: DbStore, id: string, change: MetaChange) => Promise<boolean>;
const touch: Write = (store, id, change) => store.touch(id, change);
const writes: Record<string, Write> = {
  'update (whole data)': (store, id, change) =>
    store.update(id, { data: { written: 'whole' }, meta: change }),
  'update (delta)': (store, id, change) =>
    store.update(id, { data: { kept: 1, w: 'd' }, delta: { set: { w: 'd' }, unset: [] }, meta: change }),
  touch,
};

describe.each(Object.entries(writes))(
  '%s applies the MetaChange as core does, in one statement',
  (_name, write) => {
    it.each(stored)('on %s', async (_label, head) => {
      const { store, pool, raw } = await setup();
      for (const [changeLabel, change] of changes) {
        const id = newHashedId();
        const record: SessionRecord = { data: { kept: 1 }, ...head };
        expect(await store.create(id, record)).toBe(true);
        const before = await raw(id);
        pool.statements.length = 0;
        expect(await write(store, id, change), changeLabel).toBe(true);
        expect(pool.statements, changeLabel).toHaveLength(1);
        expect(pool.statements[0], changeLabel).toMatch(/^UPDATE /);
        const { data, ...row } = (await raw(id)) as RawRow;
        expect(row, changeLabel).toEqual(expectedRow(head, change));
        if (write === touch) expect(data, changeLabel).toBe(before?.data);
      }
    });
  },
);

describe('the row as it is, not as the writer loaded it', () => {
  it('a refresh slides by the lifetime another write stored meanwhile, capped at its deadline', async () => {
    const { store, raw } = await setup();
    const id = newKey();
    await store.create(id, { data: {}, expiresAt: t0 + 3_600_000, meta: { createdAt: t0, lastSeenAt: t0 } });
    expect(await store.touch(id, { ...base, expiry: { expiresAt: now + 60_000, lifetime: 60 } })).toBe(true);
    expect(await store.touch(id, { ...base, now: now + 1, deadline: now + 30_000 })).toBe(true);
    expect(await raw(id)).toMatchObject({ lifetime: 60, deadline: now + 30_000, expiresAt: now + 30_000 });
    expect(await store.update(id, { data: { a: 1 }, meta: { ...base, now: now + 2 } })).toBe(true);
    expect(await raw(id)).toMatchObject({ lifetime: 60, expiresAt: now + 30_000, lastSeenAt: now + 2 });
  });

  it('a fractional lifetime (Django set_expiry(1.5)) is stored rounded to whole seconds', async () => {
    const { store, raw } = await setup();
    const id = newKey();
    await store.create(id, {
      data: {},
      expiresAt: t0 + 60_000,
      meta: { createdAt: t0, lastSeenAt: t0, lifetime: 2.4 },
    });
    expect((await raw(id))?.lifetime).toBe(2);
    expect(await store.touch(id, { ...base, expiry: { expiresAt: now + 1_500, lifetime: 1.5 } })).toBe(true);
    expect((await raw(id))?.lifetime).toBe(2);
  });
});
