import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RecordMeta } from '@sess/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../src/index.js';
import { listing, newKey, randomPrefix, scratchDirectory } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
// Built from the current source into the package (so `@sess/core` resolves), never the published dist.
const outDir = path.join(packageDir, '.test-dist', randomBytes(4).toString('hex'));
const directory = scratchDirectory('processes');

beforeAll(() => {
  const tsup = path.join(packageDir, '..', '..', 'node_modules', '.bin', 'tsup');
  execFileSync(
    tsup,
    ['src/index.ts', '--no-config', '--format', 'esm', '--target', 'node20', '-d', outDir, '--silent'],
    {
      cwd: packageDir,
      stdio: 'pipe',
    },
  );
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface Job {
  id: number;
  deltaKeys: string[];
  wholeKeys: string[];
  iterations: number;
}

type Message = { created: Record<string, boolean> } | { done: number } | { finished: true };

/** A worker process on `prefix`, started and told to go; collects its messages. */
function start(prefix: string, job: Job) {
  const child: ChildProcess = fork(
    worker,
    [pathToFileURL(path.join(outDir, 'index.js')).href, JSON.stringify({ directory, prefix, ...job })],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const messages: Message[] = [];
  const listeners = new Set<() => void>();
  child.on('message', (message: Message) => {
    messages.push(message);
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** Resolves once a message passes `test` (or rejects when the child exits first). */
  const until = (test: (message: Message) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (messages.some(test)) resolve();
      };
      listeners.add(check);
      check();
      void exited.then((code) => reject(new Error(`worker ${job.id} exited with ${code} first`)));
    });
  child.on('spawn', () => child.send('go'));
  return { child, messages, exited, until };
}

/** Every session file of `prefix` parsed, and the names of anything else of that prefix. */
async function inspect(prefix: string) {
  const names = (await listing(directory)).filter((name) => name.startsWith(prefix));
  const sessions = new Map<string, { data: Record<string, unknown>; expiresAt: number; meta: RecordMeta }>();
  const others: string[] = [];
  for (const name of names) {
    const key = name.slice(prefix.length);
    if (!/^[a-z0-9]{32}$/.test(key)) {
      others.push(name);
      continue;
    }
    sessions.set(key, JSON.parse(await readFile(path.join(directory, name), 'utf8')));
  }
  return { sessions, others };
}

describe('two processes on one directory', () => {
  it('race creates, delta updates, touches and whole updates without corrupting or losing anything (data or metadata)', async () => {
    const prefix = randomPrefix();
    const deltaKeys = [newKey(), newKey(), newKey()];
    const wholeKeys = [newKey(), newKey()];
    const iterations = 60;
    const workers = [0, 1].map((id) => start(prefix, { id, deltaKeys, wholeKeys, iterations }));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

    for (const key of [...deltaKeys, ...wholeKeys]) {
      const wins = workers.map((w) => (w.messages[0] as { created: Record<string, boolean> }).created[key]);
      expect(wins.filter(Boolean), `creates of ${key}`).toHaveLength(1);
    }
    const { sessions, others } = await inspect(prefix);
    expect(others).toEqual([]);
    expect([...sessions.keys()].sort()).toEqual([...deltaKeys, ...wholeKeys].sort());
    for (const key of deltaKeys) {
      const expected: Record<string, unknown> = { base: sessions.get(key)?.data.base };
      for (let i = 0; i < iterations; i++) Object.assign(expected, { [`p0_${i}`]: i, [`p1_${i}`]: i });
      expect(sessions.get(key)?.data, `every delta key of ${key}`).toEqual(expected);
      // One write bound the owner, one set a lifetime of two hours; the writes after them knew of neither.
      const { meta, expiresAt } = sessions.get(key) as { meta: RecordMeta; expiresAt: number };
      expect(meta.owner, `owner of ${key}`).toBe('worker-0');
      expect(meta.lifetime, `lifetime of ${key}`).toBe(7200);
      expect(expiresAt - meta.lastSeenAt, `expiry of ${key}`).toBe(7_200_000);
    }
    for (const key of wholeKeys) {
      const data = sessions.get(key)?.data as { writer: number; i: number; pad: string };
      expect(data.i).toBe(iterations - 1);
      expect(data.pad).toBe('x'.repeat((data.i * 4099 + data.writer * 7) % 50_000));
    }
    expect(workers.every((w) => w.messages.some((m) => 'finished' in m))).toBe(true);
  }, 120_000);

  it('a process killed mid-write leaves no torn file, and its locks do not block the survivors', async () => {
    const prefix = randomPrefix();
    const deltaKeys = [newKey(), newKey()];
    const wholeKeys = [newKey()];
    const victim = start(prefix, { id: 0, deltaKeys, wholeKeys, iterations: 0 });
    await victim.until((message) => 'done' in message && message.done >= 20);
    // Anywhere in a round: before, inside or after a critical section (the assertions hold for all).
    await sleep(Math.random() * 15);
    victim.child.kill('SIGKILL');
    await victim.exited.catch(() => undefined);
    const acknowledged = Math.max(...victim.messages.map((m) => ('done' in m ? m.done : -1)));

    const { sessions, others } = await inspect(prefix);
    expect(sessions.size).toBe(3);
    for (const name of others) expect(name).toMatch(/\.(lock|[0-9a-z]+-[0-9a-f]{12}\.tmp)$/);
    for (const key of deltaKeys) {
      const data = sessions.get(key)?.data ?? {};
      for (let i = 0; i <= acknowledged; i++) expect(data[`p0_${i}`], `${key} p0_${i}`).toBe(i);
    }
    // Only the dead-owner rule can free a lock here: lockStaleMs is an hour and nobody waits.
    const survivor = createFileStore({ directory, prefix, lockStaleMs: 3_600_000, lockTimeoutMs: 0 });
    for (const key of [...deltaKeys, ...wholeKeys]) {
      const now = Date.now();
      const update = {
        data: { after: true },
        meta: { now, defaultLifetime: 60, expiry: { expiresAt: now + 60_000, lifetime: null } },
      };
      expect(await survivor.update(key, update), key).toBe(true);
      expect((await survivor.load(key))?.data).toEqual({ after: true });
    }
    const after = await inspect(prefix);
    expect(after.others.filter((name) => name.endsWith('.lock'))).toEqual([]);
  }, 120_000);
});
