import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionManager } from '@sess/core';
import { generateSessionKey } from '@sess/core/store';
import { createDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createRedisStore } from '@sess/store-redis';
import { redisUrl } from '@sess/test-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from './owners-support.js';
import { closedPort, handleSecret, openTestDb, rowCount, unique } from './support.js';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(packageDir, 'dist', 'cli.js');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'sess-cli-bin-'));
const { database, pool } = await openTestDb('cli_bin');
afterAll(() => rm(tmp, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: build the package first (npx turbo run build --filter=@sess/cli...; pnpm test does it)`,
    );
  }
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` as a real child process, with the parent's environment plus `env`. */
function spawnCli(command: string, args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: tmp, env: { ...process.env, ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sess = (args: string[], env?: Record<string, string>) =>
  spawnCli(process.execPath, [bin, ...args], env);

describe('the sess binary, as a real process', () => {
  it('keeps its shebang and is executable, so it runs by itself', async () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const result = await spawnCli(bin, ['--help'], {
      PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sess <command>/);
  });

  it('clearsessions on PostgreSQL from a config file, the URL from DATABASE_URL', async () => {
    const table = unique('bin_');
    const store = createDbStore(pool, { tableName: table });
    await store.migrate();
    await pool.query(
      `INSERT INTO "${table}" (key, data, expires_at, created_at, last_seen_at)
       SELECT md5(random()::text || g), '{}'::jsonb, now() - interval '1 hour', now(), now()
       FROM generate_series(1, 2345) AS g`,
    );
    await writeFile(
      path.join(tmp, 'sess.config.mjs'),
      `export default { engine: 'db', table: '${table}', batchSize: 500 };\n`,
    );
    const result = await sess(['clearsessions', '--config', 'sess.config.mjs'], {
      DATABASE_URL: database.url,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^deleted 2345 expired sessions from table ${table} at postgres://`),
    );
    expect(await rowCount(pool, table)).toBe(0);
  });

  it('bad flags exit 2 with the usage', async () => {
    const result = await sess(['clearsessions', '--engine', 'db', '--batch-size', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--batch-size must be a whole number');
    expect(result.stderr).toContain('Usage: sess clearsessions');
  });

  it('a server that is down exits 1 with the store error, and the process ends', async () => {
    const url = `postgres://app@127.0.0.1:${await closedPort()}/app`;
    const result = await sess(['clearsessions', '--engine', 'db', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sess clearsessions: \[@sess\/store-db\] clearExpired failed: connect ECONNREFUSED/,
    );
  });

  it('list and revoke on Redis, and the process ends after closing its connection', async () => {
    const redis = new Redis(redisUrl());
    try {
      const prefix = `${unique('bin:')}:`;
      const secret = handleSecret();
      const manager = createSessionManager({
        store: createRedisStore(redis, { prefix }),
        handleSecret: secret,
      });
      const owner = unique('user-');
      const handles = await logIn(manager, owner, 2);
      const flags = ['--engine', 'redis', '--prefix', prefix, '--owner', owner];
      const env = { REDIS_URL: redisUrl(), SESS_HANDLE_SECRET: secret };
      const listed = await sess(['list', ...flags, '--json'], env);
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as { handle: string }[]).map((r) => r.handle)).toEqual(handles);
      const revoked = await sess(['revoke', ...flags, '--except', handles[1] as string], env);
      expect(revoked).toEqual({
        code: 0,
        stdout: `revoked 1 session of owner ${owner}, kept ${handles[1]}\n`,
        stderr: '',
      });
    } finally {
      await redis.quit();
    }
  });

  it('the CommonJS build runs too (require), sweeping a file store', async () => {
    const directory = await mkdtemp(path.join(tmp, 'files-'));
    const store = createFileStore({ directory });
    const meta = { createdAt: Date.now(), lastSeenAt: Date.now() };
    await store.create(generateSessionKey(), { data: {}, expiresAt: Date.now() - 5000, meta });
    await store.create(generateSessionKey(), { data: {}, expiresAt: Date.now() + 60_000, meta });
    const script = `require(${JSON.stringify(path.join(packageDir, 'dist', 'index.cjs'))})
      .run(['clearsessions', '--engine', 'file', '--directory', ${JSON.stringify(directory)}])
      .then((code) => { process.exitCode = code; });`;
    const result = await spawnCli(process.execPath, ['-e', script]);
    expect(result).toEqual({
      code: 0,
      stdout: `deleted 1 expired session from directory ${directory} (prefix sess_)\n`,
      stderr: '',
    });
    expect(await readdir(directory)).toHaveLength(1);
  });
});
