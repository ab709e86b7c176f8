import { createSessionManager } from '@sess/core';
import { cookieHeaderFor } from '@sess/core/testing';
import { createDbStore } from '@sess/store-db';
import { beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, rowCount, runCli, unique } from './support.js';

const { database, pool } = await openTestDb('cli_clear');
/** How the CLI names the database: no credentials. */
const server = `postgres://${new URL(database.url).host}/${database.name}`;

/** A fresh table with `expired` expired rows (bulk, as a busy site leaves them) and `live` real sessions. */
async function seed(expired: number, live: number): Promise<{ table: string; liveCookies: string[] }> {
  const table = unique('sess_');
  const store = createDbStore(pool, { tableName: table });
  await store.migrate();
  await pool.query(
    `INSERT INTO "${table}" (key, data, expires_at, created_at, last_seen_at)
     SELECT md5(random()::text || g), '{"visits": 1}'::jsonb, now() - (g || ' seconds')::interval,
            now() - interval '3 weeks', now() - interval '2 weeks'
     FROM generate_series(1, $1::int) AS g`,
    [expired],
  );
  const manager = createSessionManager({ store });
  const liveCookies: string[] = [];
  for (let i = 0; i < live; i++) liveCookies.push(await cookieHeaderFor(manager, { visits: i }));
  return { table, liveCookies };
}

/** Whether each of the sessions behind `cookies` still loads with its data. */
async function allLoad(table: string, cookies: string[]): Promise<boolean> {
  const manager = createSessionManager({ store: createDbStore(pool, { tableName: table }) });
  for (const [i, cookieHeader] of cookies.entries()) {
    const session = await manager.open({ cookieHeader }).load();
    if (session.get('visits') !== i) return false;
  }
  return true;
}

describe('clearsessions on the db engine', () => {
  let flags: string[];
  beforeEach(() => {
    flags = ['--engine', 'db', '--url', database.url];
  });

  it('deletes thousands of expired rows in batches, prints the exact count and leaves live sessions alone', async () => {
    const { table, liveCookies } = await seed(3500, 5);
    const result = await runCli(['clearsessions', ...flags, '--table', table, '--verbose']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'batch 1: deleted 1000 (1000 so far)',
      'batch 2: deleted 1000 (2000 so far)',
      'batch 3: deleted 1000 (3000 so far)',
      'batch 4: deleted 500 (3500 so far)',
      `deleted 3500 expired sessions from table ${table} at ${server}`,
    ]);
    expect(await rowCount(pool, table)).toBe(5);
    expect(await allLoad(table, liveCookies)).toBe(true);
  });

  it('takes --batch-size, and prints only the total off a terminal without --verbose', async () => {
    const { table } = await seed(2500, 1);
    const result = await runCli(['clearsessions', ...flags, '--table', table, '--batch-size', '700']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted 2500 expired sessions from table ${table} at ${server}\n`);
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).not.toContain('\x1b');
    expect(await rowCount(pool, table)).toBe(1);
  });

  it('takes the URL from DATABASE_URL', async () => {
    const { table } = await seed(12, 0);
    const result = await runCli(['clearsessions', '--engine', 'db', '--table', table], {
      env: { DATABASE_URL: database.url },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deleted 12 expired sessions from /);
    expect(await rowCount(pool, table)).toBe(0);
  });

  it('--dry-run counts exactly what would go and deletes nothing', async () => {
    const { table, liveCookies } = await seed(1234, 3);
    const result = await runCli(['clearsessions', ...flags, '--table', table, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dry run: 1234 expired sessions would be deleted from table /);
    expect(await rowCount(pool, table)).toBe(1237);
    expect(await allLoad(table, liveCookies)).toBe(true);
  });

  it('draws a progress bar on a terminal, ending full', async () => {
    const { table } = await seed(2100, 0);
    const result = await runCli(['clearsessions', ...flags, '--table', table], { isTTY: true, columns: 100 });
    expect(result.code).toBe(0);
    const frames = result.stdout.split('\r\x1b[K').filter(Boolean);
    // The first frame is empty, one frame per batch (1000, 1000, 100), and the final one.
    expect(frames[0]).toMatch(/^clearsessions \[\.+\] {3}0% 0\/2100$/);
    expect(frames).toContain(`clearsessions [${'#'.repeat(19)}${'.'.repeat(21)}]  48% 1000/2100`);
    expect(frames.at(-1)).toMatch(
      /^clearsessions \[#{40}\] 100% 2100\/2100\ndeleted 2100 expired sessions from table /,
    );
  });

  it('--quiet prints nothing on success', async () => {
    const { table } = await seed(10, 0);
    const result = await runCli(['clearsessions', ...flags, '--table', table, '--quiet'], { isTTY: true });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await rowCount(pool, table)).toBe(0);
  });

  it('reports nothing expired as 0', async () => {
    const { table } = await seed(0, 2);
    const result = await runCli(['clearsessions', ...flags, '--table', table]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deleted 0 expired sessions from /);
    expect(await rowCount(pool, table)).toBe(2);
  });

  it('a missing table fails with exit 1 and says to migrate', async () => {
    const result = await runCli(['clearsessions', ...flags, '--table', unique('absent_')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sess clearsessions: \[@sess\/store-db\] clearExpired failed: .*does not exist.*migrate/,
    );
  });

  it('an invalid table name is a configuration error (exit 2) naming the option', async () => {
    const result = await runCli(['clearsessions', ...flags, '--table', 'no;such table']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`tableName`');
  });
});
