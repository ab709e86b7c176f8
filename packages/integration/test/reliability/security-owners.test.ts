import {
  CapabilityMissing,
  createMemoryStore,
  createSessionManager,
  type OwnerLimit,
  type Session,
  type SessionManager,
} from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createCookieStore } from '@sess/store-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { type OpenEngine, openEngine } from './support/engines.js';

/**
 * Sessions bound to a user (ASVS 5 V7.4.3, V7.4.5, V7.5.2, V7.1.2): list them by opaque handle, revoke one,
 * all, or all but the current one ("log out other devices"), and cap how many one user may hold.
 */
const opened: OpenEngine[] = [];
afterAll(() => Promise.all(opened.map((engine) => engine.close())));

async function login(manager: SessionManager, user: string): Promise<{ cookie: string; handle: string }> {
  const request = manager.open();
  const session = await request.load();
  session.set('user', user);
  await session.cycleKey();
  await session.setOwner(user);
  const [header = ''] = (await request.commit(200)).setCookie;
  return { cookie: header.slice(0, header.indexOf(';')), handle: session.handle as string };
}

async function dataOf(manager: SessionManager, cookie: string): Promise<Record<string, unknown>> {
  return (await manager.open({ cookieHeader: cookie }).load()).toJSON();
}

const withIndex: [string, () => Promise<SessionStore>][] = [
  ['memory', async () => createMemoryStore()],
  ['db', async () => (opened[opened.push(await openEngine('db')) - 1] as OpenEngine).store],
  ['redis', async () => (opened[opened.push(await openEngine('redis')) - 1] as OpenEngine).store],
];

describe.each(withIndex)('owners on the %s engine', (_name, make) => {
  it('lists a user’s sessions by handle (never by key) and logs out the other devices', async () => {
    const manager = createSessionManager({ store: await make() });
    const devices = [await login(manager, 'ann'), await login(manager, 'ann'), await login(manager, 'ann')];
    const bob = await login(manager, 'bob');
    const listed = await manager.sessionsOf('ann');
    expect(listed.map((entry) => entry.handle).sort()).toEqual(devices.map((device) => device.handle).sort());
    for (const device of devices)
      expect(JSON.stringify(listed)).not.toContain(device.cookie.slice('sessionid='.length));

    const [current, ...others] = devices as [(typeof devices)[0], ...typeof devices];
    expect(await manager.revokeSessions('ann', { except: current.handle })).toBe(2);
    for (const other of others) expect(await dataOf(manager, other.cookie)).toEqual({});
    expect(await dataOf(manager, current.cookie)).toEqual({ user: 'ann' });
    expect(await dataOf(manager, bob.cookie)).toEqual({ user: 'bob' });

    expect(await manager.revokeSession('ann', current.handle)).toBe(true);
    expect(await dataOf(manager, current.cookie)).toEqual({});
    expect(await manager.sessionsOf('ann')).toEqual([]);
    expect(await manager.revokeSessions('bob')).toBe(1);
    expect(await dataOf(manager, bob.cookie)).toEqual({});
  });

  it.each([
    ['evict-oldest', 'the oldest are logged out to make room'],
    ['reject', 'a new login is refused with OWNER_LIMIT'],
  ] as const)('ownerLimit %s: %s', async (onLimit, _outcome) => {
    const ownerLimit: OwnerLimit = { max: 2, onLimit };
    const manager = createSessionManager({ store: await make(), ownerLimit });
    const first = await login(manager, 'ann');
    const second = await login(manager, 'ann');
    const third = await login(manager, 'ann').catch((error: unknown) => error);
    if (onLimit === 'reject') {
      expect(third).toMatchObject({ code: 'OWNER_LIMIT' });
      expect((await manager.sessionsOf('ann')).map((entry) => entry.handle).sort()).toEqual(
        [first.handle, second.handle].sort(),
      );
    } else {
      expect(await dataOf(manager, first.cookie)).toEqual({});
      expect((await manager.sessionsOf('ann')).map((entry) => entry.handle).sort()).toEqual(
        [second.handle, (third as { handle: string }).handle].sort(),
      );
    }
  });

  it.each(['evict-oldest', 'reject'] as const)(
    'ownerLimit %s holds when a user logs in from many devices at once',
    async (onLimit) => {
      const manager = createSessionManager({ store: await make(), ownerLimit: { max: 2, onLimit } });
      const logins = await Promise.allSettled(Array.from({ length: 8 }, () => login(manager, 'ann')));
      const live = await manager.sessionsOf('ann');
      expect(live.length).toBeLessThanOrEqual(2);
      expect(live.length).toBeGreaterThan(0);
      for (const outcome of logins) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'OWNER_LIMIT' });
      }
      if (onLimit === 'evict-oldest')
        expect(logins.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    },
  );
});

describe('engines without an owner index', () => {
  it.each(['memcached', 'file'] as const)(
    '%s: listing and revoking answer CapabilityMissing; ownerLimit is refused',
    async (name) => {
      const engine = await openEngine(name);
      opened.push(engine);
      const manager = createSessionManager({ store: engine.store });
      await expect(manager.sessionsOf('ann')).rejects.toBeInstanceOf(CapabilityMissing);
      await expect(manager.revokeSessions('ann')).rejects.toBeInstanceOf(CapabilityMissing);
      expect(() =>
        createSessionManager({ store: engine.store, ownerLimit: { max: 1, onLimit: 'reject' } }),
      ).toThrow(expect.objectContaining({ option: 'ownerLimit' }));
    },
  );

  it('the cookie engine: setOwner answers CapabilityMissing (a cookie cannot be revoked before it expires)', async () => {
    const manager = createSessionManager({
      store: createCookieStore({ secretKey: 'security-owners-secret-0123456789abcdef' }),
    });
    const session: Session = await manager.open().load();
    await expect(session.setOwner('ann')).rejects.toBeInstanceOf(CapabilityMissing);
  });
});
