import { randomBytes } from 'node:crypto';
import { DJANGO_SESSION_SALT, djangoLoads } from '@sess/core/codecs';
import type { RecordMeta, SessionData } from '@sess/core/store';
import { createDbStore, createDjangoDbStore, decodeJsonText } from '@sess/store-db';
import { createTestDatabase } from '@sess/test-harness';
import pg from 'pg';
import type { Engine, RawRecord } from './engine.js';

/** The SECRET_KEY the Django-mode stores of this package sign with. */
export const DJANGO_SECRET_KEY = `django-insecure-integration-${randomBytes(16).toString('hex')}`;

const ms = (value: unknown): number => (value as Date).getTime();
const table = (label: string): string => `${label}_${randomBytes(5).toString('hex')}`;

/** A database of this test file's own on the run's PostgreSQL server, and a pool on it. */
async function openDatabase(label: string) {
  const database = await createTestDatabase(`integ_${label}`);
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // pg emits 'error' on the pool for idle connections that die; without a listener the process exits.
  pool.on('error', () => {});
  return {
    pool,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/** The row of `key` in a native-format table, read with plain SQL (expired or not). */
export async function rawDbRecord(pool: pg.Pool, tableName: string, key: string): Promise<RawRecord | null> {
  const { rows } = await pool.query(
    `SELECT data::text AS data, expires_at, created_at, last_seen_at, owner, deadline, lifetime, previous, next FROM "${tableName}" WHERE key = $1`,
    [key],
  );
  const row = rows[0];
  if (!row) return null;
  const meta: RecordMeta = { createdAt: ms(row.created_at), lastSeenAt: ms(row.last_seen_at) };
  if (row.owner !== null) meta.owner = row.owner;
  if (row.deadline !== null) meta.deadline = ms(row.deadline);
  if (row.lifetime !== null) meta.lifetime = Number(row.lifetime);
  if (row.previous !== null) meta.previous = row.previous;
  if (row.next !== null) meta.next = row.next;
  return { data: JSON.parse(decodeJsonText(row.data)) as SessionData, expiresAt: ms(row.expires_at), meta };
}

/** `@sess/store-db` in its native format, a table per storage; raw reads are plain SQL on the row. */
export async function dbEngine(): Promise<Engine> {
  const { pool, close } = await openDatabase('db');
  return {
    name: 'db',
    title: 'PostgreSQL',
    realTimeExpiry: false,
    async storage(options = {}) {
      const store = createDbStore(pool, {
        tableName: table('sess'),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      await store.migrate();
      return {
        store,
        raw: (key) => rawDbRecord(pool, store.tableName, key),
      };
    },
    close,
  };
}

/** The row of `key` in a Django-mode table, its `session_data` verified and decoded with Django's signing. */
export async function rawDjangoRecord(
  pool: pg.Pool,
  tableName: string,
  key: string,
): Promise<RawRecord | null> {
  const { rows } = await pool.query(
    `SELECT session_data, expire_date FROM "${tableName}" WHERE session_key = $1`,
    [key],
  );
  const row = rows[0];
  if (!row) return null;
  const loaded = djangoLoads(row.session_data, { secret: DJANGO_SECRET_KEY, salt: DJANGO_SESSION_SALT });
  if (!loaded.ok) throw new Error(`session_data of ${key} does not verify: ${loaded.reason}`);
  return { data: loaded.value as SessionData, expiresAt: ms(row.expire_date), meta: null };
}

/**
 * `@sess/store-db` in Django mode (Django's `django_session` table and signed format), a table per storage;
 * raw reads verify and decode `session_data` with Django's signing, as Django would.
 */
export async function djangoEngine(): Promise<Engine> {
  const { pool, close } = await openDatabase('django');
  return {
    name: 'django',
    title: 'PostgreSQL (Django mode)',
    realTimeExpiry: false,
    async storage(options = {}) {
      const store = createDjangoDbStore(pool, {
        secretKey: DJANGO_SECRET_KEY,
        tableName: table('django_session'),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      await store.migrate();
      return {
        store,
        raw: (key) => rawDjangoRecord(pool, store.tableName, key),
      };
    },
    close,
  };
}
