import { randomBytes } from 'node:crypto';
import { formatPostgresUrl, parsePostgresUrl, pgQuery, quoteIdent } from './pg-wire.js';

export interface TestDatabase {
  name: string;
  /** The same server and credentials as the base URL, this database. */
  url: string;
  /** Drops it (terminating its connections). */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, empty database on the server of `baseUrl` (about 20–50 ms with the harness's
 * `fsync=off` server), named `<prefix>_<random>`. Needs CREATEDB; no TLS.
 */
export async function createDatabaseOn(baseUrl: string, prefix = 'sess_t'): Promise<TestDatabase> {
  const base = parsePostgresUrl(baseUrl);
  const admin = { ...base, database: 'postgres' };
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(5).toString('hex')}`;
  await pgQuery(admin, `CREATE DATABASE ${quoteIdent(name)}`);
  return {
    name,
    url: formatPostgresUrl({ ...base, database: name }),
    drop: async () => {
      await pgQuery(admin, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}
