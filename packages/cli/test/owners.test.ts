import { createSessionManager } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createDbStore } from '@sess/store-db';
import { createRedisStore } from '@sess/store-redis';
import { redisUrl } from '@sess/test-harness';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { handlesOf, logIn } from './owners-support.js';
import { handleSecret, openTestDb, runCli, unique, writeConfig } from './support.js';

const { database, pool } = await openTestDb('cli_owners');
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
afterAll(async () => {
  await redis.quit();
});

interface Engine {
  name: string;
  /** A fresh store of this engine (own table or prefix) and the flags that point the CLI at it. */
  open(): Promise<{ store: SessionStore; flags: string[] }>;
}

const engines: Engine[] = [
  {
    name: 'redis',
    async open() {
      const prefix = `${unique('cli:')}:`;
      return {
        store: createRedisStore(redis, { prefix }),
        flags: ['--engine', 'redis', '--url', redisUrl(), '--prefix', prefix],
      };
    },
  },
  {
    name: 'db',
    async open() {
      const table = unique('owners_');
      const store = createDbStore(pool, { tableName: table });
      await store.migrate();
      return { store, flags: ['--engine', 'db', '--url', database.url, '--table', table] };
    },
  },
];

describe.each(engines)('list and revoke on the $name engine', (engine) => {
  /** A store with one owner logged in three times (and a bystander), seen through the app's manager. */
  async function setUp() {
    const { store, flags } = await engine.open();
    const secret = handleSecret();
    const manager = createSessionManager({ store, handleSecret: secret });
    const owner = unique('user-');
    const bystander = unique('user-');
    const handles = await logIn(manager, owner, 3);
    await logIn(manager, bystander, 1);
    return { manager, owner, bystander, handles, flags, env: { SESS_HANDLE_SECRET: secret } };
  }

  it("list prints the owner's sessions oldest first with the app's handles", async () => {
    const { owner, handles, flags, env } = await setUp();
    const result = await runCli(['list', ...flags, '--owner', owner], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`3 sessions of owner ${owner}:`);
    expect(lines[1]).toMatch(/^HANDLE\s+CREATED\s+LAST SEEN\s+EXPIRES$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(handles);
    expect(lines[2]).toMatch(/^\S{43} {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d{4}-.*Z {2}\d{4}-.*Z$/);
  });

  it('list --json gives handles and ISO dates', async () => {
    const { manager, owner, handles, flags, env } = await setUp();
    const result = await runCli(['list', ...flags, '--owner', owner, '--json'], { env });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, string>[];
    const expected = (await manager.sessionsOf(owner)).map((s) => ({
      handle: s.handle,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
    }));
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r.handle)).toEqual(handles);
  });

  it('list of an owner without sessions says so', async () => {
    const { flags, env } = await setUp();
    const result = await runCli(['list', ...flags, '--owner', 'nobody-at-all'], { env });
    expect(result).toEqual({ code: 0, stdout: 'owner nobody-at-all has no sessions\n', stderr: '' });
  });

  it('revoke --except HANDLE ends the others and keeps that one', async () => {
    const { manager, owner, bystander, handles, flags, env } = await setUp();
    const kept = handles[1] as string;
    const result = await runCli(['revoke', ...flags, '--owner', owner, '--except', kept], { env });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: `revoked 2 sessions of owner ${owner}, kept ${kept}\n` });
    expect(await handlesOf(manager, owner)).toEqual([kept]);
    expect(await handlesOf(manager, bystander)).toHaveLength(1);
  });

  it('revoke without --except ends every session of the owner, and needs no handleSecret', async () => {
    const { manager, owner, bystander, flags } = await setUp();
    const result = await runCli(['revoke', ...flags, '--owner', owner, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ revoked: 3, kept: null });
    expect(await handlesOf(manager, owner)).toEqual([]);
    expect(await handlesOf(manager, bystander)).toHaveLength(1);
  });

  it('revoke --handle HANDLE ends only that session', async () => {
    const { manager, owner, handles, flags, env } = await setUp();
    const [first, ...rest] = handles;
    const result = await runCli(['revoke', ...flags, '--owner', owner, '--handle', first as string], { env });
    expect(result).toMatchObject({ code: 0, stdout: `revoked session ${first} of owner ${owner}\n` });
    expect(await handlesOf(manager, owner)).toEqual(rest);
  });

  it('a handle that matches none of the sessions revokes nothing and exits 1', async () => {
    const { manager, owner, handles, flags, env } = await setUp();
    for (const flag of ['--except', '--handle']) {
      const result = await runCli(['revoke', ...flags, '--owner', owner, flag, 'not-a-handle'], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `owner ${owner} has no session with handle not-a-handle: nothing revoked`,
      );
    }
    expect(await handlesOf(manager, owner)).toEqual(handles);
  });

  it('handles under another handleSecret do not match the app: nothing revoked', async () => {
    const { manager, owner, handles, flags } = await setUp();
    const listed = await runCli(['list', ...flags, '--owner', owner, '--json'], {
      env: { SESS_HANDLE_SECRET: handleSecret() },
    });
    const foreign = (JSON.parse(listed.stdout) as { handle: string }[]).map((r) => r.handle);
    expect(foreign).toHaveLength(3);
    expect(foreign.filter((h) => handles.includes(h))).toEqual([]);
    const result = await runCli(['revoke', ...flags, '--owner', owner, '--except', handles[0] as string], {
      env: { SESS_HANDLE_SECRET: handleSecret() },
    });
    expect(result.code).toBe(1);
    expect(await handlesOf(manager, owner)).toEqual(handles);
  });

  it('reads engine, location and handleSecret from a config file; flags win over it', async () => {
    const { manager, owner, handles, flags, env } = await setUp();
    const at = (name: string) => flags[flags.indexOf(name) + 1] as string;
    const config =
      engine.name === 'redis'
        ? { engine: 'redis', url: at('--url'), prefix: 'wrong:', handleSecret: env.SESS_HANDLE_SECRET }
        : { engine: 'db', url: at('--url'), table: 'wrong_table', handleSecret: env.SESS_HANDLE_SECRET };
    const file = await writeConfig(`export default ${JSON.stringify(config)};\n`);
    const location = engine.name === 'redis' ? ['--prefix', at('--prefix')] : ['--table', at('--table')];
    const listed = await runCli(['list', '--config', file, ...location, '--owner', owner, '--json']);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { handle: string }[]).map((r) => r.handle)).toEqual(handles);
    const revoked = await runCli([
      'revoke',
      '-c',
      file,
      ...location,
      '--owner',
      owner,
      '--except',
      handles[2] as string,
    ]);
    expect(revoked.code).toBe(0);
    expect(await handlesOf(manager, owner)).toEqual([handles[2]]);
  });

  it("list without the handleSecret is a usage error (exit 2): its handles would not be the app's", async () => {
    const { owner, flags } = await setUp();
    const result = await runCli(['list', ...flags, '--owner', owner]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("handles need the app's handleSecret");
    expect(result.stderr).toContain('Usage: sess list');
  });
});
