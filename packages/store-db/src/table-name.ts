/** A validated table name, with the parts the SQL needs. */
export interface TableName {
  /** The name as configured, e.g. `sess_session` or `auth.sessions`. */
  readonly name: string;
  /** The schema, when the name is schema-qualified. */
  readonly schema: string | undefined;
  /** The table itself, without the schema. */
  readonly table: string;
  /** The quoted (and schema-qualified) name to put in SQL: `"auth"."sessions"`. */
  readonly sql: string;
}

/** The default table of the native format. */
export const DEFAULT_TABLE_NAME = 'sess_session';

/** Django's table for `django.contrib.sessions.models.Session`, the default of the Django format. */
export const DJANGO_TABLE_NAME = 'django_session';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** PostgreSQL truncates identifiers past 63 bytes; index names add `_expires_at_idx` (15) to the table name. */
const MAX_TABLE_LENGTH = 48;
const MAX_SCHEMA_LENGTH = 63;

/** Quotes an identifier that {@link parseTableName} already restricted to `[A-Za-z0-9_]`. */
export const quoteIdentifier = (identifier: string): string => `"${identifier}"`;

/**
 * Validates `table` or `schema.table` (letters, digits and underscores, not starting with a digit; at most
 * 48 characters for the table and 63 for the schema) and returns its parts, or undefined when invalid.
 * The parts are quoted in SQL, so the name is used exactly as written: `Sessions` and `sessions` differ.
 */
export function parseTableName(name: string): TableName | undefined {
  const parts = name.split('.');
  if (parts.length > 2) return undefined;
  const table = parts.at(-1) as string;
  const schema = parts.length === 2 ? parts[0] : undefined;
  if (!IDENTIFIER.test(table) || table.length > MAX_TABLE_LENGTH) return undefined;
  if (schema !== undefined && (!IDENTIFIER.test(schema) || schema.length > MAX_SCHEMA_LENGTH))
    return undefined;
  const sql =
    schema === undefined ? quoteIdentifier(table) : `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  return { name, schema, table, sql };
}
