import type { TableName } from './table-name.js';

/** A bound parameter `$n` (ms since the epoch) as a `timestamptz`; precise to the microsecond. */
export const at = (n: number): string => `to_timestamp($${n}::float8 / 1000)`;

/** A `timestamptz` column read back as ms since the epoch (a float8, so no driver type parser is involved). */
export const ms = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;

/**
 * One batch of `clearExpired()`: `$1` now, `$2` the batch size. `SKIP LOCKED`: two sweepers share the
 * work instead of queueing behind each other; the expiry column's index finds the rows.
 */
export const clearBatchSql = (table: TableName, key: string, expiry: string): string =>
  `DELETE FROM ${table.sql} WHERE ${key} IN (SELECT ${key} FROM ${table.sql} WHERE ${expiry} <= ${at(1)} LIMIT $2 FOR UPDATE SKIP LOCKED)`;
