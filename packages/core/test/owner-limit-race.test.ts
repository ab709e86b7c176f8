import { describe, expect, it } from 'vitest';
import { createMemoryStore, createSessionManager, type OwnerLimit, type SessionEvent } from '../src/index.js';

/**
 * `ownerLimit` under concurrent logins: each login checks the cap in `setOwner()`, before its binding is
 * saved, so logins running at once all passed that check. The cap is counted again once each binding is
 * saved, and never more than `max` sessions stay bound.
 */
async function raceLogins(onLimit: OwnerLimit['onLimit'], count: number) {
  const events: SessionEvent[] = [];
  const store = createMemoryStore();
  const manager = createSessionManager({
    store,
    ownerLimit: { max: 2, onLimit },
    onEvent: (e) => events.push(e),
  });
  const login = async () => {
    const request = manager.open();
    const session = await request.load();
    session.set('user', 'ada');
    await session.cycleKey();
    await session.setOwner('ada');
    await request.commit(200);
    return session.key;
  };
  const outcomes = await Promise.allSettled(Array.from({ length: count }, login));
  return { outcomes, live: await manager.sessionsOf('ada'), events };
}

describe('ownerLimit with logins running at once', () => {
  it('evict-oldest: every login succeeds and at most max sessions stay', async () => {
    const { outcomes, live, events } = await raceLogins('evict-oldest', 8);
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThanOrEqual(2);
    expect(
      events.filter((event) => event.type === 'destroyed' && event.reason === 'evicted').length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('reject: logins beyond max fail with OWNER_LIMIT and leave no session bound', async () => {
    const { outcomes, live } = await raceLogins('reject', 8);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(6);
    for (const outcome of refused)
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'OWNER_LIMIT' });
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThanOrEqual(2);
  });
});
