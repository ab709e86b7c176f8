import type { SessionStore } from '@sess/core/store';
import { describeSessionStore } from '@sess/store-test-suite';
import { createDbStore, type DbStore, decodeJsonText } from '../src/index.js';
import { openTestDb, quoteTable, uniqueTable } from './support.js';

const db = await openTestDb('store_db_suite');

/** A store on a table of its own, migrated: every test of the suite gets a fresh one. */
async function freshStore(prefix: string): Promise<SessionStore> {
  const store = createDbStore(db.pool, { tableName: uniqueTable(prefix) });
  await store.migrate();
  return store;
}

interface RawSessionRow {
  data: string;
  expires_at: Date;
}

describeSessionStore('@sess/store-db', {
  create: () => freshStore('suite'),
  // The table is what separates two stores on one database.
  createIsolated: () => freshStore('suite_other'),
  raw: {
    async read(store, key) {
      const table = quoteTable((store as DbStore).tableName);
      const { rows } = await db.pool.query<RawSessionRow>(
        `SELECT data::text AS data, expires_at FROM ${table} WHERE key = $1`,
        [key],
      );
      return rows[0] ?? null;
    },
    data: (raw) => JSON.parse(decodeJsonText((raw as RawSessionRow).data)),
    dataBytes: (raw) => (raw as RawSessionRow).data,
  },
});
