import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRedisStore } from '@sess/store-redis';
import { redisUrl } from '@sess/test-harness';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, handleSecret, openTestDb, runCli, unique, writeConfig } from './support.js';

const { database } = await openTestDb('cli_caps');

describe('clearsessions where the engine expires sessions itself', () => {
  it.each([
    ['redis', 'nothing to do: redis expires sessions itself\n'],
    ['memcached', 'nothing to do: memcached expires sessions itself\n'],
    ['cookie', 'nothing to do: the cookie engine keeps sessions in the browser, which expires them\n'],
  ])('%s: says so and exits 0, as Django does for its cache backend', async (engine, message) => {
    const result = await runCli(['clearsessions', '--engine', engine]);
    expect(result).toEqual({ code: 0, stdout: message, stderr: '' });
  });

  it('redis: connects to nothing (an unreachable server does not matter), also with --dry-run', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['clearsessions', '--engine', 'redis', '--url', url, '--dry-run']);
    expect(result).toEqual({ code: 0, stdout: 'nothing to do: redis expires sessions itself\n', stderr: '' });
  });
});

describe('list and revoke where the engine keeps no owner index: exit 2, from CapabilityMissing', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const dir of directories) await rm(dir, { recursive: true, force: true });
  });

  it('file engine', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'sess-cli-'));
    directories.push(directory);
    for (const command of ['revoke', 'list']) {
      const result = await runCli([command, '--engine', 'file', '--directory', directory, '--owner', '42'], {
        env: { SESS_HANDLE_SECRET: handleSecret() },
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `sess ${command}: the file engine has no owner index ([@sess/store-file] does not support an owner index); ` +
          'sessions can be listed and revoked by owner on the db and redis engines\n' +
          `run "sess ${command} --help" for usage\n`,
      );
    }
  });

  it("django-db engine (Django's table keeps no owner)", async () => {
    const result = await runCli(['revoke', '--engine', 'django-db', '--url', database.url, '--owner', '42']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the django-db engine has no owner index ([@sess/store-db]');
  });

  it('redis with ownerIndex: false in the config file', async () => {
    const prefix = `${unique('cli:')}:`;
    const file = await writeConfig(
      `export const config = { engine: 'redis', url: ${JSON.stringify(redisUrl())}, prefix: ${JSON.stringify(prefix)}, ownerIndex: false };\n`,
    );
    const result = await runCli(['revoke', '--config', file, '--owner', '42']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the redis engine has no owner index ([@sess/store-redis]');
    // The same store with its index does list (the config is right otherwise).
    const redis = new Redis(redisUrl());
    try {
      expect(createRedisStore(redis, { prefix }).capabilities.ownerIndex).toBe(true);
    } finally {
      await redis.quit();
    }
  });

  it.each(['memcached', 'cookie'])('%s engine', async (engine) => {
    const result = await runCli(['revoke', '--engine', engine, '--owner', '42']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the ${engine} engine has no owner index ([@sess/store-${engine}]`);
  });
});
