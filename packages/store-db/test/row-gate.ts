import type pg from 'pg';
import { quoteTable } from './support.js';

/** A row held locked by a transaction of its own, so writes to it queue in a known order. */
export interface RowGate {
  /** Resolves once `count` statements of this database wait for a lock (polling `pg_stat_activity`). */
  waiting(count: number): Promise<void>;
  /** Commits the holding transaction: the queued writes run, in the order they queued. */
  open(): Promise<void>;
}

const POLL_MS = 5;
const GIVE_UP_MS = 10_000;

/**
 * Locks the row of `id` (`SELECT … FOR UPDATE` in an open transaction). A write sent meanwhile waits for
 * the lock; PostgreSQL then runs the waiting statements one after another in the order they queued, each
 * re-reading the row as the previous one left it. This is how two requests' writes race on one session,
 * provoked deterministically instead of by timing.
 */
export async function holdRow(pool: pg.Pool, table: string, id: string): Promise<RowGate> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM ${quoteTable(table)} WHERE key = $1 FOR UPDATE`, [id]);
  return {
    async waiting(count: number) {
      const start = Date.now();
      for (;;) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if ((rows[0]?.n ?? 0) >= count) return;
        if (Date.now() - start > GIVE_UP_MS) throw new Error(`fewer than ${count} writes queued on the row`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    async open() {
      try {
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
}
