import { randomBytes } from 'node:crypto';
import { createSessionManager } from '@sess/core';
import { cookieHeaderFor } from '@sess/core/testing';
import { createDjangoDbStore } from '@sess/store-db';
import { describe, expect, it } from 'vitest';
import { openTestDb, rowCount, runCli, unique } from './support.js';

const { database, pool } = await openTestDb('cli_django');
const secretKey = randomBytes(40).toString('hex');

/** Django's table (as Django's migration makes it) with expired rows and live sessions in Django's format. */
async function seed(expired: number, live: number): Promise<{ table: string; liveCookies: string[] }> {
  const table = unique('django_session_');
  const store = createDjangoDbStore(pool, { secretKey, tableName: table });
  await store.migrate();
  await pool.query(
    `INSERT INTO "${table}" (session_key, session_data, expire_date)
     SELECT md5(random()::text || g), 'e30:1tDUMM:not-checked', now() - (g || ' minutes')::interval
     FROM generate_series(1, $1::int) AS g`,
    [expired],
  );
  const manager = createSessionManager({ store });
  const liveCookies: string[] = [];
  for (let i = 0; i < live; i++) liveCookies.push(await cookieHeaderFor(manager, { n: i }));
  return { table, liveCookies };
}

describe('clearsessions on a Django table (django-db)', () => {
  it("deletes expired rows of Django's table in batches and keeps live sessions readable", async () => {
    const { table, liveCookies } = await seed(1500, 4);
    const result = await runCli([
      'clearsessions',
      '--engine',
      'django-db',
      '--url',
      database.url,
      '--table',
      table,
      '--batch-size',
      '400',
      '--verbose',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.slice(0, -1)).toEqual([
      'batch 1: deleted 400 (400 so far)',
      'batch 2: deleted 400 (800 so far)',
      'batch 3: deleted 400 (1200 so far)',
      'batch 4: deleted 300 (1500 so far)',
    ]);
    expect(lines.at(-1)).toBe(
      `deleted 1500 expired sessions from table ${table} at ${serverOf(database.url)}`,
    );
    expect(await rowCount(pool, table)).toBe(4);
    const manager = createSessionManager({
      store: createDjangoDbStore(pool, { secretKey, tableName: table }),
    });
    for (const [i, cookieHeader] of liveCookies.entries()) {
      expect((await manager.open({ cookieHeader }).load()).get('n')).toBe(i);
    }
  });

  it('--dry-run counts the expired rows and deletes none', async () => {
    const { table } = await seed(321, 2);
    const result = await runCli(['clearsessions', '--engine', 'django-db', '--table', table, '--dry-run'], {
      env: { DATABASE_URL: database.url },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `dry run: 321 expired sessions would be deleted from table ${table} at ${serverOf(database.url)}\n`,
    );
    expect(await rowCount(pool, table)).toBe(323);
  });

  it("defaults to Django's table name, django_session", async () => {
    await createDjangoDbStore(pool, { secretKey }).migrate();
    await pool.query(
      `INSERT INTO django_session VALUES (md5(random()::text), 'x', now() - interval '1 day')`,
    );
    const result = await runCli(['clearsessions', '--engine', 'django-db', '--url', database.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `deleted 1 expired session from table django_session at ${serverOf(database.url)}\n`,
    );
  });

  it('never prints the credentials of the URL', async () => {
    const { table } = await seed(1, 0);
    const url = new URL(database.url);
    url.password = 'hunter2-secret';
    const result = await runCli([
      'clearsessions',
      '--engine',
      'django-db',
      '--url',
      url.href,
      '--table',
      table,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deleted 1 expired session from /);
    expect(result.stdout).not.toContain('hunter2');
    expect(result.stdout).not.toContain(`${url.username}@`);
  });
});

function serverOf(url: string): string {
  const parsed = new URL(url);
  return `postgres://${parsed.host}${parsed.pathname}`;
}
