import { systemClock } from '@sess/core';
import { createDbStore } from '@sess/store-db';
import pg from 'pg';
import { copiesOf, createAll, SESSION_KINDS, type SessionKind, saveSession } from './session-kinds.js';

/** A session at rest in PostgreSQL (sess's native table). */
export interface PostgresBytes {
  /** `pg_column_size` of the row: tuple header and columns (the page's 4-byte line pointer not included). */
  row: number;
  /** `pg_relation_size` of the table (main fork) per row over the bulk rows: pages, line pointers, free space. */
  table: number;
  /** `pg_relation_size` of each index per row over the bulk rows, by index (`pkey`, `expires_at_idx`…). */
  indexes: Record<string, number>;
  /** `table` plus every index. */
  total: number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Saves each kind of session through a real manager and reads the row's size, then inserts `bulk` more
 * like it into a table of their own (each owned one with its own owner) and divides the table's and each
 * index's size by the rows: what a session costs on disk once pages fill up, random keys and all.
 */
export async function postgresBytes(
  databaseUrl: string,
  bulk: number,
): Promise<Record<SessionKind, PostgresBytes>> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  pool.on('error', () => {});
  try {
    const sizes = {} as Record<SessionKind, PostgresBytes>;
    // The session saved through the manager lives in a table of its own: the bulk tables then hold only
    // the fixed sequence of copies, and take the same pages on every run.
    const single = createDbStore(pool, { tableName: 'capacity_single', clock: systemClock });
    await single.migrate();
    for (const kind of SESSION_KINDS) {
      const table = `capacity_${kind.toLowerCase()}`;
      const store = createDbStore(pool, { tableName: table, clock: systemClock });
      await store.migrate();
      await pool.query(`TRUNCATE ${table}`);
      const id = await saveSession(kind, single, systemClock);
      const row = await pool.query<{ size: number }>(
        'SELECT pg_column_size(t.*) AS size FROM capacity_single t WHERE key = $1',
        [id],
      );
      const record = await single.load(id);
      if (!record) throw new Error(`capacity: the ${kind} session was not found in PostgreSQL`);
      // One at a time: concurrent inserts make PostgreSQL extend the table by several pages at once.
      await createAll(store, copiesOf(record, bulk), 1);
      const counted = await pool.query<{ rows: string; bytes: string }>(
        `SELECT count(*) AS rows, pg_relation_size('${table}') AS bytes FROM ${table}`,
      );
      const rows = Number(counted.rows[0]?.rows);
      const indexRows = await pool.query<{ name: string; bytes: string }>(
        `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS bytes
           FROM pg_index WHERE indrelid = '${table}'::regclass ORDER BY 1`,
      );
      const indexes: Record<string, number> = {};
      for (const index of indexRows.rows) {
        indexes[index.name.slice(table.length + 1)] = round1(Number(index.bytes) / rows);
      }
      const tableBytes = round1(Number(counted.rows[0]?.bytes) / rows);
      const total = round1(tableBytes + Object.values(indexes).reduce((sum, n) => sum + n, 0));
      sizes[kind] = { row: Number(row.rows[0]?.size), table: tableBytes, indexes, total };
    }
    return sizes;
  } finally {
    await pool.end();
  }
}
