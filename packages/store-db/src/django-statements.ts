import type { TableName } from './table-name.js';

/** A bound parameter `$n` (ms since the epoch) as a `timestamptz`. */
const at = (n: number): string => `to_timestamp($${n}::float8 / 1000)`;

/** The SQL of every Django-mode operation on Django's `session_key`, `session_data`, `expire_date` columns. */
export interface DjangoStatements {
  /** $1 key, $2 now; answers `session_data` and `expire_date` (ms since the epoch, float8) */
  load: string;
  /** $1 key, $2 session_data, $3 expire date, $4 now */
  create: string;
  /** $1 key, $2 session_data, $3 expire date, $4 now */
  replace: string;
  /** $1 key, $2 expire date, $3 now */
  touch: string;
  /** $1 key */
  destroy: string;
  /** $1 now, $2 batch size */
  clearBatch: string;
}

/** Builds the statements for `table` (already validated and quoted). */
export function djangoStatements(table: TableName): DjangoStatements {
  const t = table.sql;
  const live = (n: number) => `"session_key" = $1 AND "expire_date" > ${at(n)}`;
  return {
    load: `SELECT "session_data", (extract(epoch FROM "expire_date") * 1000)::float8 AS "expire_date" FROM ${t} WHERE ${live(2)}`,
    // A key held by an expired row is free: the expired row is replaced in the same statement.
    create: `INSERT INTO ${t} AS s ("session_key", "session_data", "expire_date") VALUES ($1, $2, ${at(3)})
ON CONFLICT ("session_key") DO UPDATE SET "session_data" = excluded."session_data", "expire_date" = excluded."expire_date"
WHERE s."expire_date" <= ${at(4)}`,
    replace: `UPDATE ${t} SET "session_data" = $2, "expire_date" = ${at(3)} WHERE ${live(4)}`,
    touch: `UPDATE ${t} SET "expire_date" = ${at(2)} WHERE ${live(3)}`,
    destroy: `DELETE FROM ${t} WHERE "session_key" = $1`,
    clearBatch: `DELETE FROM ${t} WHERE "session_key" IN (SELECT "session_key" FROM ${t} WHERE "expire_date" <= ${at(1)} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  };
}
