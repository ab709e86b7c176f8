import {
  createMemoryStore,
  createSessionManager,
  type SessionEvent,
  type SessionManager,
  type SessionManagerOptions,
} from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { type OpenEngine, openEngine } from './support/engines.js';

/**
 * Idle and absolute timeouts (ASVS 5 V7.3.1, V7.3.2) are enforced on the server: a client that keeps
 * sending its cookie after the deadline gets an empty session. Engines that expire by the app's clock run
 * on a test clock; Redis and memcached, which expire by their own, on real (short) time.
 */
const opened: OpenEngine[] = [];
afterAll(() => Promise.all(opened.map((engine) => engine.close())));

/** One request: loads the session of `cookie`, applies `handler`, commits; returns the data seen and the new cookie. */
async function visit(
  manager: SessionManager,
  cookie: string | undefined,
  handler: (s: import('@sess/core').Session) => unknown = () => {},
) {
  const request = manager.open(cookie ? { cookieHeader: cookie } : {});
  const session = await request.load();
  const seen = session.toJSON();
  await handler(session);
  const { setCookie } = await request.commit(200);
  const header = setCookie[0];
  return {
    seen,
    cookie: header?.includes('Max-Age=0')
      ? undefined
      : header
        ? header.slice(0, header.indexOf(';'))
        : cookie,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ClockedStore = (clock: TestClock) => Promise<SessionStore>;
const clocked: [string, ClockedStore][] = [
  ['memory', async (clock) => createMemoryStore({ clock })],
  ['db', async (clock) => (opened[opened.push(await openEngine('db', clock)) - 1] as OpenEngine).store],
  ['file', async (clock) => (opened[opened.push(await openEngine('file', clock)) - 1] as OpenEngine).store],
];

describe.each(clocked)('timeouts on the %s engine (test clock)', (_name, make) => {
  async function setup(options: Partial<SessionManagerOptions> = {}) {
    const clock = createTestClock(Date.now());
    const events: SessionEvent[] = [];
    const store = await make(clock);
    const manager = createSessionManager({
      store,
      clock,
      onEvent: (event) => events.push(event),
      ...options,
    });
    return { clock, manager, events };
  }

  it('idle: past cookieAge since the last save the cookie opens nothing, and a read does not extend it', async () => {
    const { clock, manager } = await setup({ cookieAge: 600 });
    const { cookie } = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    clock.advance(400);
    expect((await visit(manager, cookie)).seen).toEqual({ user: 'ann' });
    clock.advance(201);
    expect((await visit(manager, cookie)).seen).toEqual({});
  });

  it('idle: setExpiry(seconds) gives one session a shorter inactivity limit', async () => {
    const { clock, manager } = await setup();
    const { cookie } = await visit(manager, undefined, (s) => {
      s.set('user', 'ann');
      s.setExpiry(300);
    });
    clock.advance(299);
    const kept = await visit(manager, cookie, (s) => s.set('seen', 1));
    expect(kept.seen).toMatchObject({ user: 'ann' });
    clock.advance(301);
    expect((await visit(manager, kept.cookie)).seen).toEqual({});
  });

  it('absolute: activity and a login cannot carry a session past absoluteTimeout from its creation', async () => {
    const { clock, manager, events } = await setup({
      cookieAge: 1200,
      touchInterval: 60,
      absoluteTimeout: 3600,
    });
    let { cookie } = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    for (let t = 600; t < 3600; t += 600) {
      clock.advance(600);
      const step = await visit(manager, cookie, t === 1800 ? (s) => s.cycleKey() : undefined);
      expect(step.seen).toMatchObject({ user: 'ann' });
      cookie = step.cookie;
    }
    clock.advance(601);
    expect((await visit(manager, cookie)).seen).toEqual({});
    // The record died at the deadline (its expiry is capped by it), so the late cookie is an unknown one.
    expect(events.at(-1)).toEqual({ type: 'rejected', reason: 'unknown-or-invalid' });
  });
});

describe('timeouts on engines that expire by their own clock (real time)', () => {
  it.each(['redis', 'memcached'] as const)('%s: idle past cookieAge opens nothing', async (name) => {
    const engine = await openEngine(name);
    opened.push(engine);
    const manager = createSessionManager({ store: engine.store, cookieAge: 1 });
    const { cookie } = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    expect((await visit(manager, cookie)).seen).toEqual({ user: 'ann' });
    await sleep(1300);
    expect((await visit(manager, cookie)).seen).toEqual({});
  });

  it('redis: absolute timeout ends a session that is saved every 300 ms', async () => {
    const engine = await openEngine('redis');
    opened.push(engine);
    const manager = createSessionManager({ store: engine.store, cookieAge: 60, absoluteTimeout: 2 });
    let { cookie } = await visit(manager, undefined, (s) => s.set('generation', 'first'));
    const started = Date.now();
    const seen: { at: number; generation: unknown }[] = [];
    while (Date.now() - started < 3000) {
      await sleep(300);
      const step = await visit(manager, cookie, (s) => s.set('n', Date.now()));
      seen.push({ at: Date.now() - started, generation: step.seen.generation });
      cookie = step.cookie ?? cookie;
    }
    // Alive while saved within the deadline, gone after it: the next request started a new session.
    expect(seen.filter(({ at }) => at < 1700).every(({ generation }) => generation === 'first')).toBe(true);
    expect(seen.filter(({ at }) => at > 2300).map(({ generation }) => generation)).not.toContain('first');
  });
});

describe('the sealed cookie engine', () => {
  const cookieStore = () => createCookieStore({ secretKey: 'security-timeouts-secret-0123456789abcdef' });

  it('enforces its embedded expiry against a replayed cookie, whatever the browser does', async () => {
    const clock = createTestClock(Date.now());
    const manager = createSessionManager({ store: cookieStore(), clock, cookieAge: 600 });
    const { cookie } = await visit(manager, undefined, (s) => s.set('user', 'ann'));
    clock.advance(599);
    expect((await visit(manager, cookie)).seen).toEqual({ user: 'ann' });
    clock.advance(2);
    expect((await visit(manager, cookie)).seen).toEqual({});
  });

  it('refuses absoluteTimeout at construction: a cookie keeps no creation time (keep cookieAge short instead)', () => {
    expect(() => createSessionManager({ store: cookieStore(), absoluteTimeout: 3600 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'absoluteTimeout' }),
    );
  });
});
