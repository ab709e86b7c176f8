import { readFile } from 'node:fs/promises';
import { SessionStoreError } from '@sess/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDbStore, DEFAULT_TABLE_NAME, schemaSql } from '../src/index.js';
import { countingPool, newKey, openTestDb, quoteTable, record, uniqueTable } from './support.js';

const db = await openTestDb('store_db_schema');
/** The columns of the native table. */
const COLUMN_COUNT = 10;

interface Column {
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
}

async function columns(schema: string, table: string): Promise<Column[]> {
  const { rows } = await db.pool.query<Column>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows;
}

async function indexes(schema: string, table: string): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ indexname: string; indexdef: string }>(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
    [schema, table],
  );
  return Object.fromEntries(rows.map((row) => [row.indexname, row.indexdef]));
}

describe('schema and migrate()', () => {
  it('creates the documented columns, primary key and indexes', async () => {
    const table = uniqueTable('schema_cols');
    await createDbStore(db.pool, { tableName: table }).migrate();
    expect(await columns('public', table)).toEqual([
      { column_name: 'key', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'data', data_type: 'jsonb', is_nullable: 'NO' },
      { column_name: 'expires_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'created_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'last_seen_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'owner', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'deadline', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'lifetime', data_type: 'integer', is_nullable: 'YES' },
      { column_name: 'previous', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'next', data_type: 'text', is_nullable: 'YES' },
    ]);
    const found = await indexes('public', table);
    expect(Object.keys(found).sort()).toEqual(
      [`${table}_expires_at_idx`, `${table}_owner_idx`, `${table}_pkey`].sort(),
    );
    expect(found[`${table}_pkey`]).toMatch(/UNIQUE INDEX .* USING btree \(key\)/);
    expect(found[`${table}_expires_at_idx`]).toMatch(/USING btree \(expires_at\)$/);
    expect(found[`${table}_owner_idx`]).toMatch(
      /USING btree \(owner, created_at\) WHERE \(owner IS NOT NULL\)$/,
    );
  });

  it('is idempotent: running it again keeps the rows', async () => {
    const table = uniqueTable('schema_again');
    const store = createDbStore(db.pool, { tableName: table });
    await store.migrate();
    const key = newKey();
    expect(await store.create(key, record({ kept: true }, Date.now()))).toBe(true);
    await store.migrate();
    await store.migrate();
    expect((await store.load(key))?.data).toEqual({ kept: true });
    expect(Object.keys(await indexes('public', table))).toHaveLength(3);
  });

  it('is safe when several instances migrate the same table at once', async () => {
    const table = uniqueTable('schema_race');
    const stores = Array.from({ length: 6 }, () => createDbStore(db.pool, { tableName: table }));
    const results = await Promise.allSettled(stores.map((store) => store.migrate()));
    expect(results.map((result) => result.status)).toEqual(Array(6).fill('fulfilled'));
    expect(await columns('public', table)).toHaveLength(COLUMN_COUNT);
  });

  it('uses the default table name sess_session', async () => {
    const store = createDbStore(db.pool);
    expect(store.tableName).toBe(DEFAULT_TABLE_NAME);
    expect(DEFAULT_TABLE_NAME).toBe('sess_session');
    await store.migrate();
    expect(await columns('public', 'sess_session')).toHaveLength(COLUMN_COUNT);
  });

  it('creates a schema-qualified table in that schema, with its indexes there', async () => {
    const schema = uniqueTable('auth');
    await db.pool.query(`CREATE SCHEMA ${quoteTable(schema)}`);
    const store = createDbStore(db.pool, { tableName: `${schema}.sessions` });
    await store.migrate();
    await store.migrate();
    expect(await columns(schema, 'sessions')).toHaveLength(COLUMN_COUNT);
    expect(Object.keys(await indexes(schema, 'sessions')).sort()).toEqual([
      'sessions_expires_at_idx',
      'sessions_owner_idx',
      'sessions_pkey',
    ]);
    const key = newKey();
    expect(await store.create(key, record({ schema }, Date.now()))).toBe(true);
    const { rows } = await db.pool.query(`SELECT key FROM ${quoteTable(`${schema}.sessions`)}`);
    expect(rows).toEqual([{ key }]);
    expect(await columns('public', 'sessions')).toEqual([]);
  });

  it('keeps the case of a mixed-case table name (it is quoted)', async () => {
    const table = `Mixed_${uniqueTable('Case')}`;
    const store = createDbStore(db.pool, { tableName: table });
    await store.migrate();
    expect(await columns('public', table)).toHaveLength(COLUMN_COUNT);
    expect(await columns('public', table.toLowerCase())).toEqual([]);
  });

  it("migrates before the first operation with migrate: 'on-first-use', once", async () => {
    const table = uniqueTable('schema_lazy');
    const pool = countingPool(db.pool);
    const store = createDbStore(pool, { tableName: table, migrate: 'on-first-use' });
    expect(pool.statements).toEqual([]);
    expect(await columns('public', table)).toEqual([]);
    const key = newKey();
    const [first, second] = await Promise.all([store.load(key), store.load(newKey())]);
    expect([first, second]).toEqual([null, null]);
    expect(await store.create(key, record({ lazy: true }, Date.now()))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ lazy: true });
    expect(pool.statements.filter((text) => text.includes('CREATE TABLE'))).toHaveLength(1);
    expect(pool.statements).toHaveLength(5);
  });

  it("retries the migration after a failure with migrate: 'on-first-use'", async () => {
    const schema = uniqueTable('later');
    const store = createDbStore(db.pool, { tableName: `${schema}.sessions`, migrate: 'on-first-use' });
    const failed = await store.load(newKey()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SessionStoreError);
    expect((failed as SessionStoreError).message).toMatch(
      /^\[@sess\/store-db\] load failed: schema .* does not exist/,
    );
    await db.pool.query(`CREATE SCHEMA ${quoteTable(schema)}`);
    expect(await store.load(newKey())).toBeNull();
    expect(await columns(schema, 'sessions')).toHaveLength(COLUMN_COUNT);
  });

  it("does not touch the schema with migrate: 'manual', and says what to do when the table is missing", async () => {
    const table = uniqueTable('schema_manual');
    const store = createDbStore(db.pool, { tableName: table });
    const failed = await store.load(newKey()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SessionStoreError);
    const error = failed as SessionStoreError;
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.operation).toBe('load');
    expect(error.message).toContain('[@sess/store-db] load failed');
    expect(error.message).toContain('store.migrate()');
    expect((error.cause as { code?: string }).code).toBe('42P01');
    expect(await columns('public', table)).toEqual([]);
  });

  it('ships sql/schema.sql equal to schemaSql() for the default table, and lists sql/ in files', async () => {
    const file = await readFile(new URL('../sql/schema.sql', import.meta.url), 'utf8');
    expect(file).toBe(schemaSql());
    expect(file).toContain('CREATE TABLE IF NOT EXISTS "sess_session"');
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.files).toContain('sql');
  });

  it('schemaSql() applies as-is for another table name', async () => {
    const table = uniqueTable('schema_sql');
    await db.pool.query(schemaSql(table));
    await db.pool.query(schemaSql(table));
    expect(await columns('public', table)).toHaveLength(COLUMN_COUNT);
    expect(() => schemaSql('bad name')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'tableName' }),
    );
  });

  it('works over a single pg.Client too (anything with query(text, values))', async () => {
    const client = new pg.Client({ connectionString: db.database.url });
    await client.connect();
    try {
      const store = createDbStore(client, {
        tableName: uniqueTable('schema_client'),
        migrate: 'on-first-use',
      });
      const key = newKey();
      expect(await store.create(key, record({ via: 'client' }, Date.now()))).toBe(true);
      expect((await store.load(key))?.data).toEqual({ via: 'client' });
    } finally {
      await client.end();
    }
  });

  it('close() leaves the injected pool open', async () => {
    const store = createDbStore(db.pool, { tableName: uniqueTable('schema_close') });
    await store.close();
    const { rows } = await db.pool.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
