import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  type SessionEvent,
  type SessionManager,
} from '../src/index.js';
import type { SessionStore } from '../src/store/index.js';
import { PROPERTY_RUNS } from './codecs/fixtures.js';

/**
 * Hostile input THROUGH the manager over a MemoryStore (the codec-level properties live in
 * codecs/properties.test.ts): whatever a client sends as cookies, loading never throws, never yields another
 * session's data, and never writes to the store; prototype-pollution payloads round-trip as plain data.
 * `SESS_PROPERTY_RUNS=100000` for the long mode.
 */
const runs = { numRuns: PROPERTY_RUNS };
const timeout = Math.max(10_000, PROPERTY_RUNS * 2);
const VICTIM = { secret: 'victim-only-marker', nested: { card: '4111' } };

/** A MemoryStore that counts every call, by operation. */
function countingStore() {
  const inner = createMemoryStore();
  const calls = { load: 0, create: 0, update: 0, touch: 0, destroy: 0 };
  const counted =
    <A extends unknown[], R>(operation: keyof typeof calls, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls[operation]++;
      return fn(...args);
    };
  const store: SessionStore = {
    name: inner.name,
    capabilities: inner.capabilities,
    owners: inner.owners,
    load: counted('load', (key) => inner.load(key)),
    create: counted('create', (key, record) => inner.create(key, record)),
    update: counted('update', (key, update) => inner.update(key, update)),
    touch: counted('touch', (key, change) => inner.touch(key, change)),
    destroy: counted('destroy', (key) => inner.destroy(key)),
    clearExpired: () => inner.clearExpired(),
  };
  const writes = () => calls.create + calls.update + calls.touch + calls.destroy;
  return { store, calls, writes };
}

async function victimOf(manager: SessionManager): Promise<string> {
  const request = manager.open();
  (await request.load()).update(VICTIM);
  const [header = ''] = (await request.commit(200)).setCookie;
  return header.slice('sessionid='.length, header.indexOf(';'));
}

/** The first `sessionid` value of a Cookie header as RFC 6265 reads it (surrounding quotes removed). */
function cookieValue(header: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== 'sessionid') continue;
    const value = part.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

/** Characters a Cookie header is made of, and those that break naive parsers. */
const COOKIE_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789ABCXYZ-_.~%+/=',
  ...';, "\\\t\u0000\u00e9\u{1F600}',
  'sessionid',
  'sessionid=',
  '__proto__',
  'constructor',
];

/** One edit of a valid key: a flipped bit, a cut, an extension, a changed case or a wrapping. */
const keyEdit = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(31), bit: fc.nat(6) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(31) }),
  fc.record({ kind: fc.constant('extend' as const), with: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('upper' as const), at: fc.nat(31) }),
  fc.record({
    kind: fc.constant('wrap' as const),
    left: fc.constantFrom('"', ' ', '../', '%20'),
    right: fc.constantFrom('"', ';', '\u0000', ''),
  }),
);
type KeyEdit = typeof keyEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(key: string, edit: KeyEdit): string {
  switch (edit.kind) {
    case 'flip':
      return (
        key.slice(0, edit.at) +
        String.fromCharCode(key.charCodeAt(edit.at) ^ (1 << edit.bit)) +
        key.slice(edit.at + 1)
      );
    case 'cut':
      return key.slice(0, edit.at);
    case 'extend':
      return key + edit.with;
    case 'upper':
      return key.slice(0, edit.at) + key.charAt(edit.at).toUpperCase() + key.slice(edit.at + 1);
    case 'wrap':
      return edit.left + key + edit.right;
  }
}

describe('hostile cookies through the manager (MemoryStore)', () => {
  it(
    'any Cookie header: no exception, an empty session, no store write, no store read unless the key is well-formed',
    async () => {
      const { store, calls, writes } = countingStore();
      const events: SessionEvent[] = [];
      const manager = createSessionManager({ store, onEvent: (event) => events.push(event) });
      const victim = await victimOf(manager);
      const baseline = { writes: writes(), loads: calls.load };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ unit: fc.constantFrom(...COOKIE_CHARS), maxLength: 200 }),
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc
              .string({
                unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
                minLength: 32,
                maxLength: 32,
              })
              .map((key) => `sessionid=${key}`),
            keyEdit.map((edit) => `sessionid=${applyEdit(victim, edit)}`),
            fc.string({ maxLength: 9000 }).map((junk) => `sessionid=${junk}`),
          ),
          async (cookieHeader) => {
            const loadsBefore = calls.load;
            const request = manager.open({ cookieHeader });
            const session = await request.load();
            const data = session.toJSON();
            if (session.key !== victim) {
              expect(data).toEqual({});
              expect(session.key).toBeNull();
            }
            const result = await request.commit(200);
            expect(['none', 'delete']).toContain(result.action);
            for (const header of result.setCookie) expect(header).toMatch(/^sessionid=; .*Max-Age=0/);
            if (!/^[a-z0-9]{32}$/.test(cookieValue(cookieHeader) ?? '')) expect(calls.load).toBe(loadsBefore);
          },
        ),
        runs,
      );
      expect(writes()).toBe(baseline.writes);
      expect(events.every((event) => event.type === 'rejected' || event.type === 'created')).toBe(true);
    },
    timeout,
  );

  it(
    'a handler that writes under a hostile cookie gets a fresh key, never the one the client chose',
    async () => {
      const { store } = countingStore();
      const manager = createSessionManager({ store });
      const victim = await victimOf(manager);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            keyEdit.map((edit) => applyEdit(victim, edit)),
            fc.string({
              unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
              minLength: 32,
              maxLength: 32,
            }),
          ),
          async (chosen) => {
            fc.pre(cookieValue(`sessionid=${chosen}`) !== victim);
            const request = manager.open({ cookieHeader: `sessionid=${chosen}` });
            const session = await request.load();
            session.set('user', 'attacker-planted');
            const [header = ''] = (await request.commit(200)).setCookie;
            const issued = header.slice('sessionid='.length, header.indexOf(';'));
            expect(issued).toMatch(/^[a-z0-9]{32}$/);
            expect(issued).not.toBe(chosen);
            expect(await store.load(chosen)).toBeNull();
            expect((await store.load(victim))?.data).toEqual(VICTIM);
            await store.destroy(issued);
          },
        ),
        runs,
      );
    },
    timeout,
  );
});

/** Keys and nested payloads that turn naive merges into prototype pollution. */
const pollutingKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'valueOf',
);
const pollutingValue = fc.oneof(
  fc.constant({ polluted: 'yes' }),
  fc.constant({ prototype: { polluted: 'yes' } }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown),
  fc.constant(JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('prototype-pollution payloads through the manager (MemoryStore)', () => {
  it(
    'keys such as __proto__ and constructor are stored and read back as plain data, and pollute nothing',
    async () => {
      const manager = createSessionManager({ store: createMemoryStore() });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(pollutingKey, pollutingValue), { minLength: 1, maxLength: 5 }),
          async (pairs) => {
            const first = manager.open();
            const session = await first.load();
            const written: Record<string, unknown> = Object.create(null);
            for (const [key, value] of pairs) {
              session.set(key, value);
              // What JSON can hold (-0 becomes 0): the store keeps JSON.
              written[key] = JSON.parse(JSON.stringify(value));
            }
            const [header = ''] = (await first.commit(200)).setCookie;
            const again = await manager.open({ cookieHeader: header.slice(0, header.indexOf(';')) }).load();
            for (const [key, value] of Object.entries(written)) expect(again.get(key)).toEqual(value);
            expect(again.keys().sort()).toEqual(Object.keys(written).sort());
            const copy = { ...again.toJSON() };
            expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
          },
        ),
        runs,
      );
    },
    timeout,
  );
});
