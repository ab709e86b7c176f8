import { createDbStore } from '@sess/store-db';
import { startPostgres } from '@sess/test-harness/servers';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import {
  type FaultTarget,
  freezeAndResumeUnderLoad,
  killAndRestartUnderLoad,
} from './support/server-faults.js';

/**
 * PostgreSQL killed (SIGKILL, postmaster and backends) and frozen (SIGSTOP) while visitors keep counting
 * through a running app. A PostgreSQL of this file's own: the run's shared server is never touched. The app
 * (pool, store, middleware) is never restarted.
 */
const server = await startPostgres({ database: 'rel_faults' });
const TIMEOUT_MS = 1_000;
/** No request may take longer than a load and a save that both time out, plus room for a loaded machine. */
const HANG_MS = 2 * TIMEOUT_MS + 4_000;
// synchronous_commit on: an acknowledged write is in the WAL the restarted server replays.
const pool = new pg.Pool({
  connectionString: server.url,
  max: 10,
  connectionTimeoutMillis: 2 * TIMEOUT_MS,
  options: '-c synchronous_commit=on',
});
// Idle connections die with the server: pg reports it here, and the pool opens new ones later.
pool.on('error', () => {});
const store = createDbStore(pool);
await store.migrate();

afterAll(async () => {
  server.resume();
  await pool.end();
  await server.close();
});

const target: FaultTarget = {
  server,
  store,
  packageName: 'store-db',
  timeoutMs: TIMEOUT_MS,
  hangMs: HANG_MS,
  holds: async (key) => (await pool.query('SELECT 1 FROM sess_session WHERE key = $1', [key])).rowCount === 1,
};

describe('PostgreSQL fails under load', () => {
  it('killed and restarted (Koa): clear errors while down, recovery without an app restart, nothing lost or resurrected', async (context) => {
    await context.annotate(await killAndRestartUnderLoad(target, 'koa', 'pg-kill'));
  }, 120_000);

  it('frozen (SIGSTOP) and resumed (Express): operation timeouts fire and are reported, then the same sessions go on', async (context) => {
    await context.annotate(await freezeAndResumeUnderLoad(target, 'express', 'pg-freeze'));
  }, 120_000);
});
