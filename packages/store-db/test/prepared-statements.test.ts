import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDbStore, createDjangoDbStore, type PgPoolLike } from '../src/index.js';
import { change, newKey, openTestDb, record, uniqueTable } from './support.js';

const db = await openTestDb('store_db_prepared');

interface Prepared {
  name: string;
  statement: string;
}

const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end()));
});

/** One connection, so its prepared statements (`pg_prepared_statements` is per session) can be listed. */
async function connection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.database.url });
  await client.connect();
  clients.push(client);
  return client;
}

async function preparedOn(client: pg.Client): Promise<Prepared[]> {
  const { rows } = await client.query<Prepared>(
    'SELECT name, statement FROM pg_prepared_statements ORDER BY name',
  );
  return rows;
}

/** Every operation a request can cause, once each: create, load, delta update, whole update, touch, destroy. */
async function everyOperation(store: ReturnType<typeof createDbStore>): Promise<void> {
  const now = Date.now();
  const key = newKey();
  expect(await store.create(key, record({ n: 1 }, now))).toBe(true);
  expect((await store.load(key))?.data).toEqual({ n: 1 });
  expect(
    await store.update(key, { data: { n: 2 }, delta: { set: { n: 2 }, unset: [] }, meta: change(now) }),
  ).toBe(true);
  expect(await store.update(key, { data: { n: 3 }, meta: change(now) })).toBe(true);
  expect((await store.load(key))?.data).toEqual({ n: 3 });
  expect(await store.touch(key, change(now))).toBe(true);
  expect(await store.destroy(key)).not.toBeNull();
}

describe('prepared statements', () => {
  it('each operation is a named statement, parsed once per connection and reused after', async () => {
    const client = await connection();
    const store = createDbStore(client, { tableName: uniqueTable('prepared') });
    await store.migrate();
    await everyOperation(store);
    const first = await preparedOn(client);
    // load, create, delta, replace, touch, destroy: six texts, six statements.
    expect(first).toHaveLength(6);
    for (const { name } of first) expect(name).toMatch(/^sess_[\w-]{24}$/);
    expect(first.map((row) => row.statement).join('\n')).toMatch(
      /UPDATE .* SET data = \(s\.data - \$4::text\[\]\)/s,
    );
    await everyOperation(store);
    expect(await preparedOn(client)).toEqual(first);
  });

  it('two stores on one connection (two tables) never share a name', async () => {
    const client = await connection();
    const one = createDbStore(client, { tableName: uniqueTable('prepared_one') });
    const two = createDbStore(client, { tableName: uniqueTable('prepared_two') });
    await one.migrate();
    await two.migrate();
    await everyOperation(one);
    await everyOperation(two);
    const names = (await preparedOn(client)).map((row) => row.name);
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);
  });

  it('the Django format is prepared too', async () => {
    const client = await connection();
    const secretKey = 'a-secret-key-for-the-prepared-statements-test-0123456789';
    const store = createDjangoDbStore(client, { tableName: uniqueTable('prepared_django'), secretKey });
    await store.migrate();
    const key = newKey();
    const now = Date.now();
    expect(await store.create(key, record({ n: 1 }, now))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ n: 1 });
    const prepared = await preparedOn(client);
    expect(prepared.map((row) => row.statement).join('\n')).toMatch(/session_data/);
    expect(prepared).toHaveLength(2);
  });

  it('preparedStatements: false sends text only, for pool-like objects that take (text, values)', async () => {
    const client = await connection();
    const texts: unknown[] = [];
    const textOnly: PgPoolLike = {
      query(text, values) {
        texts.push(text);
        if (typeof text !== 'string') throw new TypeError('this pool takes text only');
        return client.query(text, values);
      },
    };
    const store = createDbStore(textOnly, {
      tableName: uniqueTable('unprepared'),
      preparedStatements: false,
    });
    await store.migrate();
    await everyOperation(store);
    expect(texts.length).toBeGreaterThan(6);
    expect(texts.every((text) => typeof text === 'string')).toBe(true);
    expect(await preparedOn(client)).toEqual([]);
  });

  it('a pool-like object that cannot take a config fails with a SessionStoreError naming the operation', async () => {
    const client = await connection();
    const textOnly: PgPoolLike = {
      query(text, values) {
        if (typeof text !== 'string') return Promise.reject(new TypeError('this pool takes text only'));
        return client.query(text, values);
      },
    };
    const store = createDbStore(textOnly, { tableName: uniqueTable('text_only') });
    await store.migrate();
    await expect(store.load(newKey())).rejects.toMatchObject({
      name: 'SessionStoreError',
      message: expect.stringMatching(/load failed: this pool takes text only/),
    });
  });

  it('rejects a preparedStatements that is not a boolean, naming it', () => {
    expect(() => createDbStore(db.pool, { preparedStatements: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'preparedStatements' }),
    );
  });
});
