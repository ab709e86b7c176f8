import { createHash } from 'node:crypto';
import { SessionConfigError } from '@sess/core';
import { STORE_NAME, TABLE_NAME_EXPECTED } from './options.js';
import { lockedMigration } from './query-runner.js';
import { DJANGO_TABLE_NAME, parseTableName, quoteIdentifier, type TableName } from './table-name.js';

/** PostgreSQL's identifier limit, which Django's index names respect. */
const MAX_NAME_LENGTH = 63;

/**
 * The name Django's schema editor gives an index (`_create_index_name`): `<table>_<columns>_<digest><suffix>`,
 * the digest being the first 8 hex digits of MD5 over the table and column names, shortened the way Django
 * shortens it when the whole name passes 63 characters. Same names, so Django's later migrations find them.
 */
export function djangoIndexName(table: string, columns: readonly string[], suffix = ''): string {
  const digest = createHash('md5')
    .update([table, ...columns].join(''))
    .digest('hex')
    .slice(0, 8);
  let hashPart = `${digest}${suffix}`;
  const name = `${table}_${columns.join('_')}_${hashPart}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  if (hashPart.length > MAX_NAME_LENGTH / 3) hashPart = hashPart.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const other = Math.floor((MAX_NAME_LENGTH - hashPart.length) / 2) - 1;
  const short = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashPart}`;
  return /^[_0-9]/.test(short) ? `D${short.slice(0, -1)}` : short;
}

/** The DDL for a validated table name. */
function djangoTableDdl(name: TableName): string {
  const like = quoteIdentifier(djangoIndexName(name.table, ['session_key'], '_like'));
  const expire = quoteIdentifier(djangoIndexName(name.table, ['expire_date']));
  return `-- Django's session table, as Django 3.2 to 5.x migrate it on PostgreSQL (sessions 0001_initial)
CREATE TABLE IF NOT EXISTS ${name.sql} ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" timestamp with time zone NOT NULL);
CREATE INDEX IF NOT EXISTS ${like} ON ${name.sql} ("session_key" varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS ${expire} ON ${name.sql} ("expire_date");
`;
}

/**
 * The DDL of Django's session table, made idempotent: what `manage.py sqlmigrate sessions 0001` prints for
 * PostgreSQL (same columns, types, primary key and index names), with `IF NOT EXISTS`. For development and
 * tests: in production Django's migrations own the table.
 */
export function djangoSchemaSql(tableName: string = DJANGO_TABLE_NAME): string {
  const table = parseTableName(tableName);
  if (!table) throw new SessionConfigError(STORE_NAME, 'tableName', TABLE_NAME_EXPECTED, tableName);
  return djangoTableDdl(table);
}

/** The migration of Django's table, for development and tests (see {@link lockedMigration}). */
export function djangoMigrationSql(table: TableName): string {
  return lockedMigration(`@sess/store-db:django:${table.schema ?? ''}.${table.table}`, djangoTableDdl(table));
}
