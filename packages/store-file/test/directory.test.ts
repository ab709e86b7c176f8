import { chmodSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SessionConfigError } from '@sess/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DirectoryStats, directoryProblem } from '../src/directory.js';
import { createFileStore, defaultDirectory } from '../src/index.js';
import { expiryChange, makeRecord, newKey, scratchDirectory, wholeUpdate } from './support.js';

const root = scratchDirectory('directory');
const uid = process.getuid?.() ?? 0;
const modeOf = (file: string): number => statSync(file).mode & 0o7777;

function refusal(run: () => unknown): SessionConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    return error as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}

describe('the default directory', () => {
  let tmp: string;
  beforeEach(() => {
    // os.tmpdir() follows TMPDIR, so each test gets a temp dir of its own.
    tmp = path.join(root, `tmp-${Math.random().toString(36).slice(2)}`);
    mkdirSync(tmp);
    vi.stubEnv('TMPDIR', tmp);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is <os.tmpdir()>/sess-sessions-<uid>, created with mode 0700', async () => {
    const expected = path.join(tmp, `sess-sessions-${uid}`);
    expect(defaultDirectory()).toBe(expected);
    const store = createFileStore();
    expect(store.directory).toBe(expected);
    expect(modeOf(expected)).toBe(0o700);
    const key = newKey();
    expect(await store.create(key, makeRecord())).toBe(true);
    expect(modeOf(path.join(expected, `sess_${key}`))).toBe(0o600);
  });

  it('accepts an existing private directory', () => {
    mkdirSync(path.join(tmp, `sess-sessions-${uid}`), { mode: 0o700 });
    expect(createFileStore().directory).toBe(defaultDirectory());
  });

  it.each([0o755, 0o750, 0o777, 0o1777, 0o701])('refuses an existing one with mode %o', (mode) => {
    const directory = path.join(tmp, `sess-sessions-${uid}`);
    mkdirSync(directory);
    chmodSync(directory, mode);
    const error = refusal(() => createFileStore());
    expect(error.option).toBe('directory');
    expect(error.message).toContain(`mode ${mode.toString(8).padStart(4, '0')}`);
    expect(error.message).toContain('pass `directory`');
  });

  it('refuses a symlink planted where it should be, even to a private directory', () => {
    const target = path.join(tmp, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, path.join(tmp, `sess-sessions-${uid}`));
    expect(refusal(() => createFileStore()).message).toContain('symbolic link');
  });

  it('refuses a file planted where it should be', () => {
    writeFileSync(path.join(tmp, `sess-sessions-${uid}`), 'not a directory');
    expect(refusal(() => createFileStore()).message).toContain('not a directory');
  });

  it('is made again, private, when it vanished while the store was running', async () => {
    const store = createFileStore();
    rmSync(store.directory, { recursive: true });
    const key = newKey();
    expect(await store.create(key, makeRecord({ back: true }))).toBe(true);
    expect(modeOf(store.directory)).toBe(0o700);
    expect((await store.load(key))?.data).toEqual({ back: true });
  });

  it('answers "nothing there" for every other operation while it is missing', async () => {
    const store = createFileStore();
    const key = newKey();
    expect(await store.create(key, makeRecord())).toBe(true);
    rmSync(store.directory, { recursive: true });
    expect(await store.load(key)).toBeNull();
    expect(await store.update(key, wholeUpdate())).toBe(false);
    expect(await store.touch(key, expiryChange(Date.now() + 1000, Date.now()))).toBe(false);
    await expect(store.destroy(key)).resolves.toBeNull();
    expect(await store.clearExpired()).toBe(0);
    await expect(stat(store.directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a directory named in the options', () => {
  it('is created with its missing parents, mode 0700', () => {
    const directory = path.join(root, 'named', 'deeper', 'sessions');
    createFileStore({ directory });
    expect(modeOf(directory)).toBe(0o700);
  });

  it('may be readable by the group and others (the files are not)', () => {
    const directory = path.join(root, 'shared-readable');
    mkdirSync(directory);
    chmodSync(directory, 0o755);
    expect(createFileStore({ directory }).directory).toBe(directory);
  });

  it.each([0o777, 0o1777, 0o773])('is refused when every user may write to it (mode %o)', (mode) => {
    const directory = path.join(root, `world-${mode.toString(8)}`);
    mkdirSync(directory);
    chmodSync(directory, mode);
    const error = refusal(() => createFileStore({ directory }));
    expect(error.option).toBe('directory');
    expect(error.message).toContain('writable by every user');
  });

  it('is refused when it is a file', () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    expect(refusal(() => createFileStore({ directory: file })).message).toContain('not a directory');
  });

  it('is refused when it cannot be created', () => {
    writeFileSync(path.join(root, 'blocker'), '');
    const blocked = refusal(() => createFileStore({ directory: path.join(root, 'blocker', 'sessions') }));
    expect(blocked.option).toBe('directory');
    expect(blocked.message).toContain('could not be created');
  });

  it('is os.tmpdir() itself only by mistake: a sticky world-writable dir is refused', () => {
    expect(modeOf(os.tmpdir()) & 0o002).toBe(0o002);
    expect(refusal(() => createFileStore({ directory: os.tmpdir() })).option).toBe('directory');
  });
});

describe('the ownership rule (pure)', () => {
  const dir = (owner: number, mode: number, kind: 'dir' | 'link' | 'file' = 'dir'): DirectoryStats => ({
    uid: owner,
    mode,
    isDirectory: () => kind === 'dir',
    isSymbolicLink: () => kind === 'link',
  });

  it.each([
    ['private', dir(1000, 0o700), 1000, null],
    ['private', dir(1001, 0o700), 1000, 'is owned by uid 1001'],
    ['private', dir(0, 0o700), 1000, 'is owned by uid 0'],
    ['private', dir(1000, 0o710), 1000, 'mode 0710'],
    ['private', dir(1000, 0o700, 'link'), 1000, 'symbolic link'],
    ['owned', dir(1000, 0o755), 1000, null],
    ['owned', dir(0, 0o770), 1000, null],
    ['owned', dir(1001, 0o700), 1000, 'neither'],
    ['owned', dir(1000, 0o1777), 1000, 'writable by every user'],
    ['owned', dir(1000, 0o700, 'file'), 1000, 'not a directory'],
    ['private', dir(1000, 0o777), undefined, null],
  ] as const)('%s %o for uid %s → %s', (policy, stats, user, problem) => {
    const found = directoryProblem(stats, policy, user);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
