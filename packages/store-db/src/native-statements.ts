import { at, clearBatchSql, ms } from './sql-parts.js';
import type { TableName } from './table-name.js';

/** The metadata columns, as `load`, `destroy` and the owner listing read them. */
const META_COLUMNS = `${ms('expires_at')}, ${ms('created_at')}, ${ms('last_seen_at')}, owner, ${ms('deadline')}, lifetime, previous, next`;

/** The columns `create` writes besides the key, in the order of its parameters `$2`…`$10`. */
const WRITTEN = [
  'data',
  'expires_at',
  'created_at',
  'last_seen_at',
  'owner',
  'deadline',
  'lifetime',
  'previous',
  'next',
];

/** A field of the MetaChange bound as jsonb (`c.m`), as text (null when absent or null). */
const field = (name: string): string => `(c.m->>'${name}')`;
/** A field of the change's `expiry`, as text. */
const expiryField = (name: string): string => `(c.m->'expiry'->>'${name}')`;
/** An instant in ms (an SQL expression, null when the field is absent) as a `timestamptz`. */
const instant = (ms: string): string => `to_timestamp(${ms}::float8 / 1000)`;
/** Lifetimes are whole seconds; a fractional one (Django's `set_expiry(1.5)`) is rounded. */
const seconds = (text: string): string => `${text}::numeric::integer`;
/** The lifetime a refresh slides by: the row's own, else the app's default. */
const slide = `COALESCE(s.lifetime, ${seconds(field('defaultLifetime'))})`;
/** "absent keeps, null clears, a value sets", for a text column. */
const keepOrSet = (column: string): string =>
  `${column} = CASE WHEN c.m ? '${column}' THEN ${field(column)} ELSE s.${column} END`;

/**
 * The rules of a `MetaChange`, as the SET clause of an UPDATE of `… AS s` joined with `(SELECT $3::jsonb AS m)
 * AS c`. The change is bound as one jsonb value exactly as core builds it, so "absent keeps the stored value,
 * null clears it" is `c.m ? 'field'`. Every right-hand side reads the row as it is when the statement
 * writes it (PostgreSQL re-reads a row another transaction changed meanwhile), never a copy the request
 * loaded:
 *
 * - `last_seen_at` := now;
 * - `expires_at`: the change's expiry, else now + (row's lifetime, else the default) seconds, capped at the
 *   deadline (the row's, else the change's: a stored deadline is never replaced); a lifetime of 0 (a fixed instant) keeps the row's;
 * - `lifetime`: the change's (null removes it) when it carries an expiry, else the row's;
 * - `owner`, `previous`, `next`: absent keeps, null clears, a string sets;
 * - `deadline`: written only when the row has none.
 */
const META_CHANGE = [
  `last_seen_at = ${instant(field('now'))}`,
  `expires_at = CASE
    WHEN c.m ? 'expiry' THEN ${instant(expiryField('expiresAt'))}
    WHEN ${slide} = 0 THEN s.expires_at
    ELSE LEAST(
      to_timestamp((${field('now')}::float8 + ${slide}::float8 * 1000) / 1000),
      COALESCE(s.deadline, ${instant(field('deadline'))}))
  END`,
  `lifetime = CASE WHEN c.m ? 'expiry' THEN ${seconds(expiryField('lifetime'))} ELSE s.lifetime END`,
  keepOrSet('owner'),
  `deadline = COALESCE(s.deadline, ${instant(field('deadline'))})`,
  keepOrSet('previous'),
  keepOrSet('next'),
].join(',\n  ');

/** The SQL of every native operation, for one table. Each operation is a single statement. */
export interface NativeStatements {
  /** $1 id, $2 now */
  load: string;
  /** $1 id, $2…$10 the columns of {@link WRITTEN} (instants in ms), $11 now */
  create: string;
  /** $1 id, $2 now, $3 the MetaChange (jsonb), $4 the data (jsonb) */
  replace: string;
  /** $1 id, $2 now, $3 the MetaChange (jsonb), $4 the keys to remove (text[]), $5 the keys to set (jsonb) */
  delta: string;
  /** $1 id, $2 now, $3 the MetaChange (jsonb) */
  touch: string;
  /** $1 id, $2 now; answers the metadata columns and `live` */
  destroy: string;
  /** $1 now, $2 batch size */
  clearBatch: string;
  /** $1 owner, $2 now */
  listOwned: string;
  /** $1 owner, $2 id to keep (or null), $3 now; answers `live`, the count of live rows removed */
  destroyOwned: string;
}

/** Builds the statements for `table` (already validated and quoted). */
export function nativeStatements(table: TableName): NativeStatements {
  const t = table.sql;
  const live = (n: number) => `expires_at > ${at(n)}`;
  /** An UPDATE of the live row `$1` applying the MetaChange `$3`, after `set` (the data, or nothing). */
  const change = (set: string) =>
    `UPDATE ${t} AS s SET ${set}${META_CHANGE}
FROM (SELECT $3::jsonb AS m) AS c WHERE s.key = $1 AND s.${live(2)}`;
  const written = WRITTEN.join(', ');
  return {
    load: `SELECT data::text AS data, ${META_COLUMNS} FROM ${t} WHERE key = $1 AND ${live(2)}`,
    // A key held by an expired row is free: the expired row is replaced in the same statement.
    create: `INSERT INTO ${t} AS s (key, ${written})
VALUES ($1, $2::jsonb, ${at(3)}, ${at(4)}, ${at(5)}, $6, ${at(7)}, ${seconds('$8')}, $9, $10)
ON CONFLICT (key) DO UPDATE SET (${written}) = (${WRITTEN.map((column) => `excluded.${column}`).join(', ')})
WHERE s.expires_at <= ${at(11)}`,
    replace: change('data = $4::jsonb,\n  '),
    // jsonb `-` drops the removed keys and `||` merges the written ones, in the row, in the same statement.
    delta: change('data = (s.data - $4::text[]) || $5::jsonb,\n  '),
    touch: change(''),
    destroy: `DELETE FROM ${t} WHERE key = $1 RETURNING ${META_COLUMNS}, ${live(2)} AS live`,
    clearBatch: clearBatchSql(table, 'key', 'expires_at'),
    listOwned: `SELECT key, ${META_COLUMNS} FROM ${t} WHERE owner = $1 AND ${live(2)} ORDER BY created_at, key`,
    destroyOwned: `WITH gone AS (DELETE FROM ${t} WHERE owner = $1 AND ($2::text IS NULL OR key <> $2) RETURNING expires_at)
SELECT (count(*) FILTER (WHERE ${live(3)}))::int AS live FROM gone`,
  };
}
