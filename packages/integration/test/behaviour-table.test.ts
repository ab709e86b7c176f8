import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryStore, createSessionManager, type StoreOption } from '@sess/core';
import type { BackendCapabilities, SessionBackend } from '@sess/core/store';
import { createCookieStore } from '@sess/store-cookie';
import { createDbStore, createDjangoDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createMemcachedStore } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BEHAVIOURS,
  renderBehaviourTable,
  TABLE_ADAPTERS,
  TABLE_ENGINES,
  type TableEngine,
} from '../src/behaviour/index.js';

/**
 * The committed table (BEHAVIOUR.md) tells the truth: it is the one the source renders, every cell holds
 * evidence, every cited test title is in the file cited (or in the HTTP suite that file runs), every cited
 * capability is what the engine's backend declares, and the only MISSING cells are the known, reported ones.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const suiteSources = path.join(root, '../http-test-suite/src');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

const cells = BEHAVIOURS.flatMap((behaviour) =>
  TABLE_ENGINES.flatMap(({ id }) =>
    TABLE_ADAPTERS.map((adapter) => ({
      behaviour: behaviour.title,
      engine: id,
      adapter,
      refs: behaviour.cell(id, adapter),
    })),
  ),
);

// Backends built without I/O (clients that never connect), only to read their declared capabilities: the
// backend a manager binds for each store.
const directory = mkdtempSync(path.join(os.tmpdir(), 'sess-behaviour-'));
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
const redis = new Redis({ lazyConnect: true });
const memcached = new Memcached('127.0.0.1:1');
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  redis.disconnect();
  memcached.end();
  await pool.end();
});
const backendOf = (store: StoreOption): SessionBackend => createSessionManager({ store }).backend;
const backends: Record<TableEngine, SessionBackend> = {
  memory: backendOf(createMemoryStore()),
  file: backendOf(createFileStore({ directory })),
  cookie: backendOf(createCookieStore({ secretKey: 'behaviour-table-secret-0123456789abcdefghij' })),
  db: backendOf(createDbStore(pool)),
  django: backendOf(createDjangoDbStore(pool, { secretKey: 'behaviour-table-django-secret-key' })),
  redis: backendOf(createRedisStore(redis)),
  memcached: backendOf(createMemcachedStore(memcached)),
};
const declared = (engine: TableEngine, name: keyof BackendCapabilities): boolean =>
  name === 'metadata'
    ? backends[engine].capabilities.metadata !== false
    : Boolean(backends[engine].capabilities[name]);

describe('BEHAVIOUR.md', () => {
  it('is the table the source renders (regenerate with `npx tsx packages/integration/src/behaviour/write.ts`)', () => {
    expect(read('BEHAVIOUR.md')).toBe(renderBehaviourTable());
  });

  it('has the sixteen behaviours of issue 7 and a non-empty cell for each of the 7 engines × 2 adapters', () => {
    expect(BEHAVIOURS.map((behaviour) => behaviour.title)).toEqual([
      'persistence',
      'forged key not adopted',
      'no Set-Cookie when unchanged',
      'flush',
      'cycleKey',
      'delta (different keys survive)',
      'no resurrection',
      'owner list/revoke',
      'idle timeout',
      'absolute timeout',
      'touch throttling',
      'key rotation',
      'read-only route',
      'fail-open',
      'outage error',
      '5xx does not save',
    ]);
    expect(cells).toHaveLength(16 * 7 * 2);
    for (const cell of cells)
      expect(cell.refs.length, `${cell.behaviour} × ${cell.engine}`).toBeGreaterThan(0);
  });

  it('cites only tests whose title is in the cited file, or in the HTTP suite that file runs', () => {
    const suiteFiles = readdirSync(suiteSources).map((name) => path.join(suiteSources, name));
    const suiteText = (exclude: string | null) =>
      suiteFiles
        .filter((file) => path.basename(file) !== exclude)
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
    for (const { behaviour, engine, refs } of cells) {
      for (const ref of refs) {
        if (ref.kind !== 'test') continue;
        const where = `${behaviour} × ${engine}: ${ref.file}`;
        expect(existsSync(path.join(root, ref.file)), where).toBe(true);
        const text = read(ref.file);
        if (text.includes(ref.title)) continue;
        expect(/describeAdapter|concerns/.test(text), `${where} does not contain “${ref.title}”`).toBe(true);
        // The Django-mode run leaves out the suite's Set-Cookie concern (see http-suite-django.test.ts).
        const excluded = ref.file.endsWith('http-suite-django.test.ts') ? 'set-cookie.ts' : null;
        expect(suiteText(excluded), `${where}: the suite has no “${ref.title}”`).toContain(ref.title);
      }
    }
  });

  it('cites only capabilities the engine really declares', () => {
    for (const { behaviour, engine, refs } of cells) {
      for (const ref of refs) {
        if (ref.kind !== 'capability') continue;
        expect(declared(engine, ref.name), `${behaviour} × ${engine}: ${ref.name}`).toBe(ref.value);
      }
    }
  });

  it('has no MISSING cell: every behaviour is a test or a declared, tested refusal', () => {
    const missing = cells
      .filter((cell) => cell.refs.some((ref) => ref.kind === 'missing'))
      .map((cell) => `${cell.behaviour} × ${cell.engine} × ${cell.adapter}`);
    expect(missing).toEqual([]);
  });
});
