import { SessionStoreError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { openDjango } from '../../django-interop/src/index.js';
import { djangoIndexName } from '../src/django-schema.js';
import { createDjangoDbStore, djangoSchemaSql } from '../src/index.js';
import { openDjangoWorld } from './django-support.js';
import { openTestDb } from './support.js';

/** Django-mode `migrate()` creates the table Django's own migration creates, to the index names. */
const world = await openDjangoWorld('store_db_django_schema');
const { django } = world;
/** A second database, where only our migrate() runs. */
const ownDb = await openTestDb('store_db_django_ours');

/** Columns, constraints and indexes of `schema.django_session`, with the schema name taken out. */
async function catalog(schema: string) {
  const q = async (text: string) => (await world.pool.query(text, [schema])).rows;
  return {
    columns: await q(`SELECT column_name, ordinal_position, data_type, character_maximum_length, is_nullable,
      column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'django_session'
      ORDER BY ordinal_position`),
    constraints: await q(`SELECT conname, contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = 'django_session' ORDER BY conname`),
    indexes: (
      await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'django_session'
      ORDER BY indexname`)
    ).map((row) => ({ ...row, indexdef: String(row.indexdef).replaceAll(`${schema}.`, 'SCHEMA.') })),
  };
}

describe('migrate() in Django mode', () => {
  it('creates what Django’s migration creates: same columns, types, primary key and index names', async () => {
    await world.pool.query('CREATE SCHEMA ours');
    await world.store({ tableName: 'ours.django_session' }).migrate();
    const theirs = await catalog('public');
    expect(theirs.indexes.map((row) => row.indexname)).toEqual([
      'django_session_expire_date_a5c62663',
      'django_session_pkey',
      'django_session_session_key_c0390e0f_like',
    ]);
    expect(await catalog('ours')).toEqual(theirs);
  });

  it('is Django’s `sqlmigrate sessions 0001` for PostgreSQL, made idempotent', async () => {
    const djangoSql = (await django.sqlmigrate())
      .split('\n')
      .filter((line) => line.startsWith('CREATE'))
      .map((line) => line.replace(/^CREATE (TABLE|INDEX) /, 'CREATE $1 IF NOT EXISTS '));
    const ours = djangoSchemaSql()
      .split('\n')
      .filter((line) => line.startsWith('CREATE'));
    expect([...ours].sort()).toEqual([...djangoSql].sort());
  });

  it.each([
    ['django_session', ['session_key'], '_like'],
    ['django_session', ['expire_date'], ''],
    ['accounts_customsession', ['expire_date'], ''],
    ['a'.repeat(48), ['session_key'], '_like'],
    ['b'.repeat(40), ['expire_date'], ''],
    ['x'.repeat(36), ['session_key'], '_like'],
  ])('names the index of %s (%s%s) as Django does', async (table, columns, suffix) => {
    const [named] = await django.run([{ op: 'indexName', table, columns, suffix }]);
    expect(named).toMatchObject({ ok: true, name: djangoIndexName(table, columns, suffix) });
  });

  it('Django uses a table our migrate() made, and the store reads what Django wrote there', async () => {
    const store = createDjangoDbStore(ownDb.pool, { secretKey: world.secretKey, version: world.version });
    await Promise.all([store.migrate(), store.migrate()]);
    const own = await openDjango({ secretKey: world.secretKey, databaseUrl: ownDb.database.url });
    try {
      const key = (await own.createSession({ a: 'é' })).key as string;
      expect((await store.load(key))?.data).toEqual({ a: 'é' });
    } finally {
      await own.close();
    }
  });

  it('a missing table says that Django’s migrations own it', async () => {
    const store = world.store({ tableName: 'no_such_django_session' });
    const failure = store.load('k'.repeat(32));
    await expect(failure).rejects.toBeInstanceOf(SessionStoreError);
    await expect(failure).rejects.toThrow(/manage\.py migrate sessions/);
  });

  it("migrate: 'on-first-use' creates a missing table before the first operation", async () => {
    const store = world.store({ tableName: 'ondemand_session', migrate: 'on-first-use' });
    const key = 'o'.repeat(32);
    expect(
      await store.create(key, {
        data: { a: 1 },
        expiresAt: Date.now() + 60_000,
        meta: { createdAt: 0, lastSeenAt: 0 },
      }),
    ).toBe(true);
    expect((await store.load(key))?.data).toEqual({ a: 1 });
  });
});
