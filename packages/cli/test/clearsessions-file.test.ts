import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSessionKey, type SessionRecord } from '@sess/core/store';
import { createFileStore } from '@sess/store-file';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const record = (expiresAt: number): SessionRecord => ({
  data: { visits: 1 },
  expiresAt,
  meta: { createdAt: Date.now() - 60_000, lastSeenAt: Date.now() - 60_000 },
});

/**
 * A session directory written by the real file store: `expired` and `live` sessions, one unreadable
 * session file (a torn write), and a file of another prefix the sweep must never touch.
 */
async function seed(expired: number, live: number, prefix = 'sess_') {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sess-cli-'));
  dirs.push(directory);
  const store = createFileStore({ directory, prefix });
  const liveKeys: string[] = [];
  for (let i = 0; i < expired; i++) {
    await store.create(generateSessionKey(), record(Date.now() - 1000 * (i + 1)));
  }
  for (let i = 0; i < live; i++) {
    const key = generateSessionKey();
    await store.create(key, record(Date.now() + 3_600_000));
    liveKeys.push(key);
  }
  await writeFile(path.join(directory, `${prefix}${generateSessionKey()}`), '{"v":1,"expi');
  const foreign = `other_${generateSessionKey()}`;
  await writeFile(path.join(directory, foreign), 'not ours');
  return { directory, store, liveKeys, foreign };
}

describe('clearsessions on the file engine', () => {
  it('sweeps expired and unreadable session files, keeps live ones and other prefixes', async () => {
    const { directory, store, liveKeys, foreign } = await seed(30, 3);
    const result = await runCli(['clearsessions', '--engine', 'file', '--directory', directory]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted 31 expired sessions from directory ${directory} (prefix sess_)\n`);
    const left = (await readdir(directory)).sort();
    expect(left).toEqual([...liveKeys.map((k) => `sess_${k}`), foreign].sort());
    for (const key of liveKeys) expect(await store.load(key)).not.toBeNull();
  });

  it('--dry-run counts the same files and removes none', async () => {
    const { directory } = await seed(7, 2);
    const before = (await readdir(directory)).sort();
    const result = await runCli(['clearsessions', '--engine', 'file', '--directory', directory, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `dry run: 8 expired sessions would be deleted from directory ${directory} (prefix sess_)\n`,
    );
    expect((await readdir(directory)).sort()).toEqual(before);
    const swept = await runCli(['clearsessions', '--engine', 'file', '--directory', directory]);
    expect(swept.stdout).toMatch(/^deleted 8 expired sessions /);
  });

  it('takes --prefix, resolves a relative --directory against the working directory', async () => {
    const { directory, liveKeys } = await seed(4, 1, 'app_');
    const result = await runCli(
      ['clearsessions', '--engine', 'file', '--directory', path.basename(directory), '--prefix', 'app_'],
      { cwd: path.dirname(directory) },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted 5 expired sessions from directory ${directory} (prefix app_)\n`);
    expect((await readdir(directory)).filter((n) => n.startsWith('app_'))).toEqual([`app_${liveKeys[0]}`]);
  });

  it('shows the sweep on a terminal', async () => {
    const { directory } = await seed(3, 0);
    const result = await runCli(['clearsessions', '--engine', 'file', '--directory', directory], {
      isTTY: true,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\r\x1b[Kclearsessions [');
    expect(result.stdout).toContain('100% 4/4\n');
    expect(result.stdout).toMatch(/deleted 4 expired sessions from directory .*\n$/);
  });

  it('a directory that does not exist is a usage error (exit 2), and is not created', async () => {
    const directory = path.join(os.tmpdir(), `sess-cli-absent-${generateSessionKey()}`);
    const result = await runCli(['clearsessions', '--engine', 'file', '--directory', directory]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the session directory ${directory} does not exist`);
    await expect(readdir(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
