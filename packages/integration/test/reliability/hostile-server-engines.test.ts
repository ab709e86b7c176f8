import { createSessionManager, type SessionManager } from '@sess/core';
import { parseCookieHeader } from '@sess/core/adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingStore } from './support/counting-store.js';
import { type OpenEngine, openEngine, SERVER_ENGINES } from './support/engines.js';
import { budget, IO_PROPERTY_RUNS } from './support/env.js';
import {
  editedKey,
  hostileCookieHeader,
  pathLikeKey,
  pollutingKey,
  pollutingValue,
  prototypePolluted,
  wellFormedKey,
} from './support/hostile.js';

/**
 * Hostile input through the manager on each real server engine (the codecs' own properties are in
 * packages/core/test/codecs, the cookie engine's in packages/store-cookie/test): cookie values never
 * throw, never open another session, never write; prototype-pollution payloads written by a handler come
 * back as plain data. IO_PROPERTY_RUNS cases each (`SESS_PROPERTY_RUNS` for the long mode).
 */
const runs = { numRuns: IO_PROPERTY_RUNS };
const VICTIM = { secret: 'victim-only-marker', nested: { card: '4111' } };

/** What a JSON reader that drops the two pollution gadgets would give back. */
function sanitized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), function (this: unknown, key: string, inner: unknown) {
    if (key === '__proto__') return undefined;
    const gadget =
      key === 'constructor' &&
      typeof inner === 'object' &&
      inner !== null &&
      Object.hasOwn(inner, 'prototype');
    return gadget ? undefined : inner;
  });
}

async function save(manager: SessionManager, data: Record<string, unknown>): Promise<string> {
  const request = manager.open();
  const session = await request.load();
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const [header = ''] = (await request.commit(200)).setCookie;
  return header.slice('sessionid='.length, header.indexOf(';'));
}

describe.each(SERVER_ENGINES)('hostile input on the %s engine', (name) => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine(name);
  });
  afterAll(() => engine?.close());

  it(
    'hostile cookies: no exception, no other session opened, no write; only well-formed keys reach the store',
    async () => {
      const { store, calls, writes } = countingStore(engine.store);
      const manager = createSessionManager({ store });
      const victim = await save(manager, VICTIM);
      const before = writes();
      await fc.assert(
        fc.asyncProperty(
          hostileCookieHeader(fc.oneof(editedKey(victim), wellFormedKey, pathLikeKey)),
          async (cookieHeader) => {
            const loads = calls.load;
            const request = manager.open({ cookieHeader });
            const session = await request.load();
            if (session.key !== victim) expect(session.toJSON()).toEqual({});
            const value = parseCookieHeader(cookieHeader).get('sessionid') ?? '';
            if (!/^[a-z0-9]{32}$/.test(value)) expect(calls.load).toBe(loads);
            expect(['none', 'delete']).toContain((await request.commit(200)).action);
          },
        ),
        runs,
      );
      expect(writes()).toBe(before);
      expect(await engine.holds(victim)).toBe(true);
      expect((await engine.store.load(victim))?.data).toEqual(VICTIM);
    },
    budget(IO_PROPERTY_RUNS, 50),
  );

  it(
    'prototype-pollution payloads written by a handler come back as plain data and pollute nothing',
    async () => {
      const manager = createSessionManager({ store: engine.store });
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(pollutingKey, pollutingValue, { minKeys: 1, maxKeys: 4 }),
          async (data) => {
            const written = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
            const key = await save(manager, written);
            const again = await manager.open({ cookieHeader: `sessionid=${key}` }).load();
            const read = Object.fromEntries(again.entries());
            expect([written, sanitized(written)]).toContainEqual(read);
            expect(Object.getPrototypeOf({ ...read })).toBe(Object.prototype);
            expect(prototypePolluted()).toBe(false);
            await engine.store.destroy(key);
          },
        ),
        runs,
      );
    },
    budget(IO_PROPERTY_RUNS, 50),
  );
});
