import type { TableName } from './table-name.js';

/** A bound parameter `$n` (ms since the epoch) as a `timestamptz`; precise to the microsecond. */
const at = (n: number): string => `to_timestamp($${n}::float8 / 1000)`;
/** A `timestamptz` column read back as ms since the epoch (a float8, so no driver type parser is involved). */
const ms = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;
const RECORD_COLUMNS = `${ms('expires_at')}, ${ms('created_at')}, ${ms('last_seen_at')}, owner, ${ms('deadline')}`;

/** The SQL of every operation, for one table. Each operation is a single statement. */
export interface Statements {
  /** $1 key, $2 now */
  load: string;
  /** $1 key, $2 data, $3 expires, $4 created, $5 last seen, $6 owner, $7 deadline, $8 now */
  create: string;
  /** $1 key, $2 data, $3 expires, $4 created, $5 last seen, $6 owner, $7 deadline, $8 now */
  replace: string;
  /** As `replace`, with $2 the keys to remove (text[]) and $9 the keys to set (jsonb). */
  delta: string;
  /** $1 key, $2 expires, $3 last seen, $4 now */
  touch: string;
  /** $1 key */
  destroy: string;
  /** $1 now, $2 batch size */
  clearBatch: string;
  /** $1 owner, $2 now */
  listOwned: string;
  /** $1 owner, $2 key to keep (or null), $3 now; answers `live`, the count of live rows removed */
  destroyOwned: string;
}

/** Builds the statements for `table` (already validated and quoted). */
export function statements(table: TableName): Statements {
  const t = table.sql;
  const meta = `expires_at = ${at(3)}, created_at = ${at(4)}, last_seen_at = ${at(5)}, owner = $6, deadline = ${at(7)}`;
  return {
    load: `SELECT data::text AS data, ${RECORD_COLUMNS} FROM ${t} WHERE key = $1 AND expires_at > ${at(2)}`,
    // A key held by an expired row is free: the expired row is replaced in the same statement.
    create: `INSERT INTO ${t} AS s (key, data, expires_at, created_at, last_seen_at, owner, deadline)
VALUES ($1, $2::jsonb, ${at(3)}, ${at(4)}, ${at(5)}, $6, ${at(7)})
ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at,
created_at = excluded.created_at, last_seen_at = excluded.last_seen_at, owner = excluded.owner,
deadline = excluded.deadline WHERE s.expires_at <= ${at(8)}`,
    replace: `UPDATE ${t} SET data = $2::jsonb, ${meta} WHERE key = $1 AND expires_at > ${at(8)}`,
    // jsonb `-` drops the removed keys and `||` merges the written ones, in the row, in one statement.
    delta: `UPDATE ${t} SET data = (data - $2::text[]) || $9::jsonb, ${meta} WHERE key = $1 AND expires_at > ${at(8)}`,
    touch: `UPDATE ${t} SET expires_at = ${at(2)}, last_seen_at = ${at(3)} WHERE key = $1 AND expires_at > ${at(4)}`,
    destroy: `DELETE FROM ${t} WHERE key = $1`,
    // SKIP LOCKED: two sweepers share the work instead of queueing behind each other.
    clearBatch: `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at <= ${at(1)} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    listOwned: `SELECT key, ${RECORD_COLUMNS} FROM ${t} WHERE owner = $1 AND expires_at > ${at(2)} ORDER BY created_at, key`,
    destroyOwned: `WITH gone AS (DELETE FROM ${t} WHERE owner = $1 AND ($2::text IS NULL OR key <> $2) RETURNING expires_at)
SELECT (count(*) FILTER (WHERE expires_at > ${at(3)}))::int AS live FROM gone`,
  };
}
