import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSessionManager, isSessionError } from '@sess/core';
import { generateSessionKey, isRecordId, type MetaChange, type SessionRecord } from '@sess/core/store';
import { createFileStore } from '@sess/store-file';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budget, IO_PROPERTY_RUNS } from './support/env.js';
import { hostileCookieHeader, pathLikeKey, wellFormedKey } from './support/hostile.js';

/**
 * The file engine never touches a path outside its directory, whatever key it is handed: every path the
 * store passes to `node:fs` is recorded (the built-in modules are wrapped, and the wrappers reach the
 * store's own imports through `syncBuiltinESMExports`), and each must lie inside the session directory.
 * The tree around the directory is compared before and after, and a symlink planted inside it is never
 * followed out.
 */
const require = createRequire(import.meta.url);
const MODULES = ['node:fs', 'node:fs/promises'] as const;
const originals = new Map<string, Map<string, unknown>>();
const touched: string[] = [];

/** Records the path arguments of every fs call made from the file store's code. */
function recordFsCalls(): void {
  for (const name of MODULES) {
    const module = require(name) as Record<string, unknown>;
    const saved = new Map<string, unknown>();
    for (const [key, value] of Object.entries(module)) {
      if (typeof value !== 'function' || /^[A-Z]/.test(key)) continue;
      saved.set(key, value);
      module[key] = function (this: unknown, ...args: unknown[]) {
        // The store's frames (vitest maps dist back to src in stack traces).
        if (/store-file\/(src|dist)\//.test(new Error().stack ?? '')) {
          for (const arg of args.slice(0, 2)) {
            if (typeof arg === 'string' || Buffer.isBuffer(arg) || arg instanceof URL)
              touched.push(String(arg));
          }
        }
        return (value as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
    originals.set(name, saved);
  }
  syncBuiltinESMExports();
}

function restoreFs(): void {
  for (const name of MODULES) {
    const module = require(name) as Record<string, unknown>;
    for (const [key, value] of originals.get(name) ?? []) module[key] = value;
  }
  syncBuiltinESMExports();
}

const root = mkdtempSync(path.join(tmpdir(), 'sess-rel-paths-'));
const directory = path.join(root, 'sessions');
mkdirSync(directory, { mode: 0o700 });
writeFileSync(path.join(root, 'canary'), 'outside');
writeFileSync(path.join(root, `sess_${'a'.repeat(32)}`), 'outside, named like a session');
const store = createFileStore({ directory });
const manager = createSessionManager({ store });

beforeAll(recordFsCalls);
afterAll(() => {
  restoreFs();
  rmSync(root, { recursive: true, force: true });
});

/** Every entry under `dir` (not following symlinks) with its size and mtime, `sessions/` excluded. */
function outsideTree(dir = root): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === directory) continue;
    const stat = statSync(full, { throwIfNoEntry: false });
    tree[path.relative(root, full)] =
      `${entry.isDirectory() ? 'dir' : 'file'} ${stat?.size} ${stat?.mtimeMs}`;
    if (entry.isDirectory()) Object.assign(tree, outsideTree(full));
  }
  return tree;
}

/** Whether fs would act inside the session directory (it resolves relative paths against the cwd). */
const inside = (file: string) => {
  const resolved = path.resolve(file);
  return resolved === directory || resolved.startsWith(`${directory}${path.sep}`);
};
const record = (data: Record<string, unknown>): SessionRecord => {
  const now = Date.now();
  return { data, expiresAt: now + 60_000, meta: { createdAt: now, lastSeenAt: now } };
};
/** A write's metadata change that moves the expiry to `seconds` from now. */
const change = (seconds: number): MetaChange => {
  const now = Date.now();
  return { now, defaultLifetime: seconds, expiry: { expiresAt: now + seconds * 1000, lifetime: null } };
};

describe('the file engine and hostile keys', () => {
  it(
    'no store operation, and no request, ever touches a path outside the session directory',
    async () => {
      const before = outsideTree();
      touched.length = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(pathLikeKey, wellFormedKey),
          hostileCookieHeader(pathLikeKey),
          async (key, cookie) => {
            expect(await store.load(key)).toBeNull();
            expect(await store.update(key, { data: { hijacked: true }, meta: change(1) })).toBe(false);
            expect(await store.touch(key, change(1))).toBe(false);
            await store.destroy(key);
            await store.create(key, record({ planted: true })).then(
              (created) => {
                // Only a well-formed record id (a key, or a 40-character hashed id) may be created, inside the directory.
                expect(isRecordId(key) && created).toBe(true);
                return store.destroy(key);
              },
              (error: unknown) => expect(isSessionError(error)).toBe(true),
            );
            const request = manager.open({ cookieHeader: cookie });
            (await request.load()).set('visited', true);
            const [header = ''] = (await request.commit(200)).setCookie;
            await store.destroy(header.slice('sessionid='.length, header.indexOf(';')));
          },
        ),
        { numRuns: IO_PROPERTY_RUNS },
      );
      expect(touched.length).toBeGreaterThan(0);
      expect(touched.filter((file) => !inside(file))).toEqual([]);
      expect(outsideTree()).toEqual(before);
      expect(readdirSync(directory)).toEqual([]);
    },
    budget(IO_PROPERTY_RUNS, 50),
  );

  it('a symlink planted under a session name inside the directory is never followed out', async () => {
    const key = generateSessionKey();
    const target = path.join(root, 'target');
    const envelope = JSON.stringify({
      v: 1,
      expiresAt: Date.now() + 60_000,
      meta: { createdAt: Date.now(), lastSeenAt: Date.now() },
      data: { planted: 'through a symlink' },
    });
    writeFileSync(target, envelope);
    symlinkSync(target, path.join(directory, `sess_${key}`));
    const before = outsideTree();
    touched.length = 0;

    expect(await store.load(key)).toBeNull();
    expect(await store.update(key, { data: { hijacked: true }, meta: change(3_600) })).toBe(false);
    expect(await store.touch(key, change(3_600))).toBe(false);
    const request = manager.open({ cookieHeader: `sessionid=${key}` });
    expect((await request.load()).toJSON()).toEqual({});
    await store.clearExpired();
    expect(await store.destroy(key)).toBeNull();

    expect(outsideTree()).toEqual(before);
    expect(touched.filter((file) => !inside(file))).toEqual([]);
    // Contract v2's destroy removes a record it has read (it returns its metadata); a symlink is no record
    // (never opened), so the planted link itself stays where it was planted, still pointing at its target.
    const link = path.join(directory, `sess_${key}`);
    expect(readdirSync(directory)).toEqual([`sess_${key}`]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(envelope);
    rmSync(link);
  });
});
