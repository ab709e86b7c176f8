import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSessionManager, type SessionManager } from '@sess/core';
import {
  createSealer,
  DJANGO_SESSION_SALT,
  DJANGO_SIGNED_COOKIES_SALT,
  djangoDumps,
} from '@sess/core/codecs';
import { generateSessionKey, type SessionStore } from '@sess/core/store';
import { createDjangoDbStore } from '@sess/store-db';
import { createDjangoFileStore } from '@sess/store-file';
import { createTestDatabase } from '@sess/test-harness';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { countingStore } from './support/counting-store.js';
import { budget, IO_PROPERTY_RUNS } from './support/env.js';
import { prototypePolluted } from './support/hostile.js';

/**
 * Django's formats read through the manager: rows of a `django_session` table and files of a
 * `SESSION_FILE_PATH`, each holding a Django-signed value. Whatever a row or file holds (tampered,
 * truncated, signed with another key or salt, another format, a zip bomb, authentic data of the wrong shape
 * or built to pollute prototypes), the request never throws, never gets data that was not authentically
 * signed, and never writes the row or the file.
 */
const SECRET = 'django-insecure-reliability-secret-key-0123456789';
const OTHER_SECRET = 'django-insecure-some-other-projects-key-9876543210';
const VICTIM = { _auth_user_id: '1', secret: 'victim-only-marker' };
const invalid: string[] = [];
const onInvalidData = (reason: string) => invalid.push(reason);

/** A Django session storage under test: its store, and raw access to what it holds under a key. */
interface DjangoStorage {
  kind: 'table' | 'files';
  store: SessionStore;
  put(key: string, sessionData: string): Promise<void>;
  /** What the storage holds under `key`, to compare before and after a request. */
  snapshot(key: string): Promise<unknown>;
  remove(key: string): Promise<void>;
}

const database = await createTestDatabase('rel_django');
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
pool.on('error', () => {});
const djangoDb = createDjangoDbStore(pool, { secretKey: SECRET, onInvalidData });
await djangoDb.migrate();
const directory = mkdtempSync(path.join(tmpdir(), 'sess-rel-django-'));
const fileOf = (key: string) => path.join(directory, `sessionid${key}`);

const storages: [string, DjangoStorage][] = [
  [
    'db table',
    {
      kind: 'table',
      store: djangoDb,
      put: async (key, data) => {
        await pool.query("INSERT INTO django_session VALUES ($1, $2, now() + interval '1 day')", [key, data]);
      },
      snapshot: async (key) =>
        (
          await pool.query(
            'SELECT session_data, expire_date::text FROM django_session WHERE session_key = $1',
            [key],
          )
        ).rows,
      remove: async (key) => {
        await pool.query('DELETE FROM django_session WHERE session_key = $1', [key]);
      },
    },
  ],
  [
    'session files',
    {
      kind: 'files',
      store: createDjangoFileStore({ directory, secretKey: SECRET, onInvalidData }),
      put: async (key, data) => writeFileSync(fileOf(key), data, { mode: 0o600 }),
      snapshot: async (key) => {
        const stat = statSync(fileOf(key), { throwIfNoEntry: false });
        return stat && [readFileSync(fileOf(key), 'latin1'), stat.mtimeMs];
      },
      remove: async (key) => rmSync(fileOf(key), { force: true }),
    },
  ],
];

afterAll(async () => {
  await pool.end();
  await database.drop();
  rmSync(directory, { recursive: true, force: true });
});

const valid = djangoDumps(VICTIM, { secret: SECRET, salt: DJANGO_SESSION_SALT });
const zipBomb = djangoDumps({ pad: ' '.repeat(3_000_000) }, { secret: SECRET, salt: DJANGO_SESSION_SALT });

/** session_data that must not open: each with the reason the store should report. */
const forged = fc.oneof(
  fc
    .tuple(fc.nat(valid.length - 1), fc.nat(6))
    .map(
      ([at, bit]) =>
        valid.slice(0, at) + String.fromCharCode(valid.charCodeAt(at) ^ (1 << bit)) + valid.slice(at + 1),
    ),
  fc.nat(valid.length - 1).map((at) => valid.slice(0, at)),
  fc.string({ minLength: 1, maxLength: 4 }).map((tail) => valid + tail),
  fc.constant(djangoDumps(VICTIM, { secret: OTHER_SECRET, salt: DJANGO_SESSION_SALT })),
  fc.constant(djangoDumps(VICTIM, { secret: SECRET, salt: DJANGO_SIGNED_COOKIES_SALT })),
  fc.constant(createSealer({ secrets: [SECRET] }).seal(VICTIM, { name: 'sessionid', iat: 1, exp: 4e9 })),
  // Django before 3.1: base64 of "<hash>:<json>".
  fc.constant(Buffer.from(`0123456789abcdef:${JSON.stringify(VICTIM)}`).toString('base64')),
  fc.constant(zipBomb),
  fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_.:'), maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => text.replaceAll('\u0000', '')),
);

/** Authentically signed values of the wrong shape or built to pollute. */
const authentic = fc
  .oneof(
    // What JSON can hold (-0 becomes 0), as Django's JSON does.
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown),
    fc.constant(
      JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
    ),
  )
  .map((value) => ({ value, text: djangoDumps(value, { secret: SECRET, salt: DJANGO_SESSION_SALT }) }));

/** Plants `sessionData` under a fresh key, sends one request with that key, and checks nothing was written. */
async function visitStored(storage: DjangoStorage, manager: SessionManager, sessionData: string) {
  const key = generateSessionKey();
  await storage.put(key, sessionData);
  const before = await storage.snapshot(key);
  const request = manager.open({ cookieHeader: `sessionid=${key}` });
  const session = await request.load();
  const data = Object.fromEntries(session.entries());
  const result = await request.commit(200);
  expect(await storage.snapshot(key)).toEqual(before);
  await storage.remove(key);
  return { data, result };
}

describe.each(storages)('hostile %s of a Django project, read through the manager', (_name, storage) => {
  const { store, writes } = countingStore(storage.store);
  const manager = createSessionManager({ store });
  beforeEach(() => {
    invalid.length = 0;
  });

  it(
    'tampered, truncated, wrong-key, wrong-salt, foreign, oversized or random session_data opens nothing and writes nothing',
    async () => {
      const before = writes();
      await fc.assert(
        fc.asyncProperty(forged, async (sessionData) => {
          fc.pre(sessionData !== valid);
          const reported = invalid.length;
          const { data, result } = await visitStored(storage, manager, sessionData);
          expect(data).toEqual({});
          expect(result.action).toBe('delete');
          // Reported as invalid data, except an empty file: Django's file engine reads that as no session too.
          expect(invalid.length).toBe(reported + (sessionData === '' && storage.kind === 'files' ? 0 : 1));
        }),
        { numRuns: IO_PROPERTY_RUNS },
      );
      expect(writes()).toBe(before);
      expect(new Set(invalid)).toEqual(new Set(['bad-signature', 'malformed', 'too-large']));
    },
    budget(IO_PROPERTY_RUNS, 100),
  );

  it(
    'authentic data of the wrong shape is no session; polluting keys are plain own data; nothing is written',
    async () => {
      const before = writes();
      await fc.assert(
        fc.asyncProperty(authentic, async ({ value, text }) => {
          const { data } = await visitStored(storage, manager, text);
          const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
          expect(data).toEqual(isObject ? value : {});
          expect(prototypePolluted()).toBe(false);
        }),
        { numRuns: IO_PROPERTY_RUNS },
      );
      expect(writes()).toBe(before);
    },
    budget(IO_PROPERTY_RUNS, 100),
  );

  it('the untouched value opens (the baseline the cases above break)', async () => {
    const { data } = await visitStored(storage, manager, valid);
    expect(data).toEqual(VICTIM);
  });
});
