import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeEnvelope, type RecordMeta, type SessionRecord } from '@sess/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../src/index.js';
import { listing, makeRecord, metaChange, newKey, randomPrefix, scratchDirectory } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));
const caller = fileURLToPath(new URL('./fixtures/store-calls.mjs', import.meta.url));
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

type CallerMessage = { ready: true } | { calling: string } | { result: unknown } | { error: string };

/** Another process with a store on `prefix`, making one call at a time. */
async function otherProcess(prefix: string) {
  const child = fork(
    caller,
    [pathToFileURL(path.join(outDir, 'index.js')).href, JSON.stringify({ directory, prefix })],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const next = (test: (message: CallerMessage) => boolean) =>
    new Promise<CallerMessage>((resolve, reject) => {
      const listener = (message: CallerMessage) => {
        if (!test(message)) return;
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
      void exited.then(() => reject(new Error('the other process exited')));
    });
  await next((message) => 'ready' in message);
  return {
    /** Sends the call; resolves once the other process has made it, with its answer still to come. */
    async call(op: string, id: string, arg?: unknown) {
      const calling = next((message) => 'calling' in message);
      const answer = next((message) => 'result' in message || 'error' in message);
      child.send({ op, id, arg });
      await calling;
      return { answer };
    },
    async close() {
      child.send('exit');
      await exited;
    },
  };
}

describe('a write from another process waiting on the session lock', () => {
  // This process holds the lock as a live process (its own pid on this host), changes the file, then
  // lets go: the other process's operation must apply to the file as this process left it.
  const holdLock = (file: string) =>
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'aaaa' }),
    );
  const rewrite = (file: string, record: SessionRecord) => writeFileSync(file, encodeEnvelope(record));

  it('update, touch and destroy apply to the file as it is once they hold the lock', async () => {
    const prefix = randomPrefix();
    const store = createFileStore({ directory, prefix });
    const other = await otherProcess(prefix);
    try {
      const id = newKey();
      await store.create(id, makeRecord({ n: 0 }));
      const file = store.pathOf(id) as string;
      const bound = (data: Record<string, unknown>, owner: string): SessionRecord => {
        const now = Date.now();
        return {
          data,
          expiresAt: now + 60_000,
          meta: { createdAt: now - 1000, lastSeenAt: now, owner, lifetime: 60 },
        };
      };

      // A stale delta update: it knows nothing of the owner, the lifetime or the key `a`.
      holdLock(file);
      const updated = await other.call('update', id, {
        data: { n: 0, stale: true },
        delta: { set: { b: 2 }, unset: [] },
        meta: metaChange(),
      });
      await sleep(100);
      rewrite(file, bound({ n: 0, a: 1 }, 'alice'));
      unlinkSync(`${file}.lock`);
      expect(await updated.answer).toEqual({ result: true });
      const afterUpdate = await store.load(id);
      expect(afterUpdate?.data).toEqual({ n: 0, a: 1, b: 2 });
      expect(afterUpdate?.meta).toMatchObject({ owner: 'alice', lifetime: 60 });
      expect((afterUpdate?.expiresAt ?? 0) - (afterUpdate?.meta.lastSeenAt ?? 0)).toBe(60_000);

      holdLock(file);
      const touched = await other.call('touch', id, metaChange(Date.now(), { next: 'x'.repeat(40) }));
      await sleep(100);
      rewrite(file, bound({ n: 0, c: 3 }, 'bob'));
      unlinkSync(`${file}.lock`);
      expect(await touched.answer).toEqual({ result: true });
      const afterTouch = await store.load(id);
      expect(afterTouch?.data).toEqual({ n: 0, c: 3 });
      expect(afterTouch?.meta).toMatchObject({ owner: 'bob', lifetime: 60, next: 'x'.repeat(40) });

      holdLock(file);
      const destroyed = await other.call('destroy', id);
      await sleep(100);
      rewrite(file, bound({ n: 0 }, 'carol'));
      unlinkSync(`${file}.lock`);
      expect(((await destroyed.answer) as { result: RecordMeta }).result).toMatchObject({
        owner: 'carol',
        lifetime: 60,
      });
      expect(await store.load(id)).toBeNull();
    } finally {
      await other.close();
    }
  }, 60_000);
});
