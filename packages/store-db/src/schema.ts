import { SessionConfigError } from '@sess/core';
import { STORE_NAME, TABLE_NAME_EXPECTED } from './options.js';
import { lockedMigration } from './query-runner.js';
import { DEFAULT_TABLE_NAME, parseTableName, quoteIdentifier, type TableName } from './table-name.js';

/**
 * The DDL of the session table, idempotent (`IF NOT EXISTS` everywhere) so it can run at every start.
 * `sql/schema.sql` in the package is this text for the default table, for migration tools.
 *
 * - `key`: the record id (a 32-character key, or its 40-character hash with `hashKeysAtRest`), primary key.
 * - `data`: the session data as `jsonb` (top-level keys are updated in place by delta writes).
 * - `expires_at`: when the row stops being a session; indexed for `clearExpired()`.
 * - `created_at`, `last_seen_at`: record metadata (creation survives key cycling; last save or touch).
 * - `owner`: the user the session is bound to, or null; partial index for listing a user's sessions.
 * - `deadline`: the absolute deadline no activity extends, or null.
 * - `lifetime`: the session's own sliding lifetime in seconds (`0`: a fixed instant), or null (the app's).
 * - `previous`, `next`: the record ids this record was rotated from and into, or null.
 */
export function schemaSql(tableName: string = DEFAULT_TABLE_NAME): string {
  const table = parseTableName(tableName);
  if (!table) throw new SessionConfigError(STORE_NAME, 'tableName', TABLE_NAME_EXPECTED, tableName);
  return tableDdl(table);
}

/** The DDL for a validated table name. */
function tableDdl(name: TableName): string {
  const expiresIndex = quoteIdentifier(`${name.table}_expires_at_idx`);
  const ownerIndex = quoteIdentifier(`${name.table}_owner_idx`);
  return `-- sess session table (@sess/store-db)
CREATE TABLE IF NOT EXISTS ${name.sql} (
  key text PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  owner text,
  deadline timestamptz,
  lifetime integer,
  previous text,
  next text
);
CREATE INDEX IF NOT EXISTS ${expiresIndex} ON ${name.sql} (expires_at);
CREATE INDEX IF NOT EXISTS ${ownerIndex} ON ${name.sql} (owner, created_at) WHERE owner IS NOT NULL;
`;
}

/** The migration `migrate()` runs for the native table (see {@link lockedMigration}). */
export function migrationSql(table: TableName): string {
  return lockedMigration(`@sess/store-db:${table.schema ?? ''}.${table.table}`, tableDdl(table));
}
