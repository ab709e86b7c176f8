import { Buffer } from 'node:buffer';
import { createSessionManager, type SessionManager } from '@sess/core';
import { DJANGO_SESSION_SALT, djangoDumps } from '@sess/core/codecs';
import type { BackendProvider, SessionBackend } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Core's own parser (not a public export): what the server sees of an edited Cookie header.
import { parseCookieHeader } from '../../core/src/cookie-header.js';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';
import { authenticHostile, sealFor } from './hostile-tokens.js';
import { incompressible, NEW_SECRET, OLD_SECRET, START } from './support.js';

/**
 * Hostile cookies THROUGH the manager, for the sealed and the signed (Django) cookie engine: random,
 * truncated, bit-flipped, reordered, oversized, wrong-key, wrong-salt, wrong-name, foreign-format and
 * authentic-but-hostile (prototype pollution, wrong claims) values never throw, never yield the victim's
 * data, and never write (no save, no Set-Cookie but deletions). `SESS_PROPERTY_RUNS=100000` for the long mode.
 */
const RUNS = Number(process.env.SESS_PROPERTY_RUNS) || 2000;
const runs = { numRuns: RUNS };
const timeout = Math.max(20_000, RUNS * 3);
const VICTIM = { secret: 'victim-only-marker', blob: incompressible(5000, 9) };
const COOKIE_AGE = 1_209_600;

const modes: [string, Partial<CookieStoreOptions>][] = [
  ['sealed', {}],
  ['signed', { mode: 'signed' }],
];

/** A store whose backends count the writes the manager asks of them. */
function counting(store: BackendProvider) {
  const calls = { save: 0, touch: 0, destroy: 0 };
  const wrap = (backend: SessionBackend): SessionBackend => ({
    ...backend,
    save: (opened, write) => {
      calls.save++;
      return backend.save(opened, write);
    },
    touch: (opened, write) => {
      calls.touch++;
      return backend.touch(opened, write);
    },
    destroy: (key) => {
      calls.destroy++;
      return backend.destroy(key);
    },
  });
  const wrapped: BackendProvider = {
    name: store.name,
    createBackend: (settings) => wrap(store.createBackend(settings)),
  };
  return { store: wrapped, writes: () => calls.save + calls.touch + calls.destroy };
}

/** The cookies a session holding `data` gets from `manager`, by name. */
async function cookiesFor(
  manager: SessionManager,
  data: Record<string, unknown>,
): Promise<Map<string, string>> {
  const request = manager.open();
  (await request.load()).update(data);
  const { setCookie } = await request.commit(200);
  return new Map(
    setCookie.map((header) => header.slice(0, header.indexOf(';')).split('=') as [string, string]),
  );
}

const headerOf = (cookies: Map<string, string>) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** Loads and commits one request carrying `cookieHeader` with a handler that reads but never writes. */
async function hostileVisit(manager: SessionManager, cookieHeader: string) {
  const request = manager.open({ cookieHeader });
  const session = await request.load();
  const data = session.toJSON();
  const result = await request.commit(200);
  return { data, result };
}

function expectRefused({ data, result }: Awaited<ReturnType<typeof hostileVisit>>): void {
  expect(data).toEqual({});
  expect(['none', 'delete']).toContain(result.action);
  for (const header of result.setCookie) expect(header).toMatch(/^[^=]+=; .*Max-Age=0/);
}

function expectUnpolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

/** One edit of the victim's cookies. */
const edit = fc.record({
  kind: fc.constantFrom('flip', 'cut', 'delete', 'insert', 'append', 'drop', 'swap', 'header'),
  cookie: fc.nat(),
  at: fc.nat(),
  bit: fc.nat(6),
  char: fc.constantFrom(...'Aa0-_.~:=+/ %s1'),
});
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(cookies: Map<string, string>, change: Edit): Map<string, string> {
  const out = new Map(cookies);
  if (out.size === 0) return out;
  const names = [...out.keys()];
  const name = names[change.cookie % names.length] as string;
  const value = out.get(name) as string;
  const at = change.at % Math.max(1, value.length);
  const set = (text: string) => out.set(name, text);
  switch (change.kind) {
    case 'flip':
      set(
        value.slice(0, at) +
          String.fromCharCode(value.charCodeAt(at) ^ (1 << change.bit)) +
          value.slice(at + 1),
      );
      break;
    case 'cut':
      set(value.slice(0, at));
      break;
    case 'delete':
      set(value.slice(0, at) + value.slice(at + 1));
      break;
    case 'insert':
      set(value.slice(0, at) + change.char + value.slice(at));
      break;
    case 'append':
      set(value + change.char);
      break;
    case 'drop':
      out.delete(name);
      break;
    case 'swap': {
      const other = names[(change.cookie + 1) % names.length] as string;
      out.set(name, out.get(other) as string);
      out.set(other, value);
      break;
    }
    case 'header':
      set(value.replace(/^~\d+~/, `~${(change.at % 12) + 1}~`));
      break;
  }
  return out;
}

describe.each(modes)('%s cookies through the manager', (mode, options) => {
  const clock = createTestClock(START);
  const { store, writes } = counting(createCookieStore({ secretKey: NEW_SECRET, maxCookies: 3, ...options }));
  const manager = createSessionManager({ store, clock, cookieAge: COOKIE_AGE });
  const other = createSessionManager({
    store: createCookieStore({ secretKey: OLD_SECRET, maxCookies: 3, ...options }),
    clock,
  });
  const otherMode = createSessionManager({
    store: createCookieStore({
      secretKey: NEW_SECRET,
      maxCookies: 3,
      ...(mode === 'sealed' ? { mode: 'signed' } : {}),
    }),
    clock,
  });

  it(
    "any edit of a valid session's cookies (bit flip, cut, insertion, missing or swapped chunk) opens nothing and writes nothing",
    async () => {
      const victim = await cookiesFor(manager, VICTIM);
      // Chunked, so that missing, swapped and renumbered chunks are tried too.
      expect(victim.size).toBeGreaterThan(1);
      const before = writes();
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
          const changed = edits.reduce(applyEdit, victim);
          const header = headerOf(changed);
          const seen = parseCookieHeader(header);
          fc.pre([...victim].some(([name, value]) => seen.get(name) !== value));
          expectRefused(await hostileVisit(manager, header));
        }),
        runs,
      );
      expect(writes()).toBe(before);
    },
    timeout,
  );

  it(
    'wrong key, wrong salt, wrong name, expired, foreign formats, oversized and random values open nothing',
    async () => {
      const before = writes();
      const past = createSessionManager({
        store: createCookieStore({ secretKey: NEW_SECRET, maxCookies: 3, ...options }),
        clock: createTestClock(START - (COOKIE_AGE + 1) * 1000),
      });
      const data = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const value = fc.oneof(
        data.map(async (d) => headerOf(await cookiesFor(other, { ...d, ...VICTIM }))),
        data.map(async (d) => headerOf(await cookiesFor(otherMode, { ...d, ...VICTIM }))),
        data.map(async (d) => headerOf(await cookiesFor(past, { ...d, ...VICTIM }))),
        data.map(
          async (d) =>
            `sessionid=${djangoDumps({ ...d }, { secret: NEW_SECRET, salt: DJANGO_SESSION_SALT })}`,
        ),
        data.map(async (d) => `sessionid=${sealFor(d, 'othername')}`),
        data.map(async (d) => `sessionid=${sealFor(d, 'sessionid', 'sess/sign/v1')}`),
        fc
          .constantFrom(
            's:abc.def',
            'eyJhbGciOiJub25lIn0.eyJ1c2VyIjoiYWRtaW4ifQ.',
            Buffer.from('{"user":"admin","_expire":9999999999999,"_maxAge":1}').toString('base64'),
            '~2~s1.AAAA',
            '~1~',
            's1.',
          )
          .map(async (text) => `sessionid=${text}`),
        fc
          .string({
            unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:~'),
            maxLength: 400,
          })
          .map(async (text) => `sessionid=${text}`),
        fc
          .string({
            unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_'),
            minLength: 4000,
            maxLength: 20_000,
          })
          .map(async (text) => `sessionid=s1.${text}`),
        fc.string({ unit: 'binary', maxLength: 300 }).map(async (text) => text),
      );
      await fc.assert(
        fc.asyncProperty(value, async (pending) => {
          expectRefused(await hostileVisit(manager, await pending));
        }),
        runs,
      );
      expect(writes()).toBe(before);
    },
    timeout,
  );

  it(
    'authentic values with hostile content (prototype pollution, claims of the wrong type, non-object data, bad encodings) never throw or pollute',
    async () => {
      const before = writes();
      await fc.assert(
        fc.asyncProperty(authenticHostile(mode), async (token) => {
          // Only what the manager does (load, commit) and the dict methods a handler calls first: the
          // nesting here can be deeper than any value the engine itself would seal.
          const request = manager.open({ cookieHeader: `sessionid=${token}` });
          const session = await request.load();
          for (const key of session.keys()) expect(typeof key).toBe('string');
          // Both engines parse with parseJsonSafely: a `__proto__` key is dropped, never kept or followed.
          expect(session.keys()).not.toContain('__proto__');
          expect(['none', 'delete']).toContain((await request.commit(200)).action);
          expectUnpolluted();
        }),
        runs,
      );
      expect(writes()).toBe(before);
    },
    timeout,
  );
});
