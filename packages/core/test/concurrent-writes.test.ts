import { describe, expect, it } from 'vitest';
import { createMemoryStore, createSessionManager, type SessionManagerOptions } from '../src/index.js';
import { hashSessionKey } from '../src/store/index.js';
import { createTestClock } from '../src/testing.js';
import { gatedStore } from './support/gated-store.js';

/**
 * Issue 15: what a save writes when another request changed the session meanwhile. Every race is put in
 * order with a gate, so each interleaving is tested on purpose.
 */
const NOW = Date.UTC(2024, 0, 1);
const keyOf = (header: string | undefined) => /^[^=]+=([^;]*)/.exec(header ?? '')?.[1] ?? '';

function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock(NOW);
  const memory = createMemoryStore({ clock });
  const { store, hold } = gatedStore(memory);
  const manager = createSessionManager({ store, clock, ...options });
  const open = (key?: string) => manager.open({ cookieHeader: key ? `sessionid=${key}` : undefined });
  /** A stored session holding `data`; its key. */
  const existing = async (data: Record<string, unknown> = { views: 0 }) => {
    const request = open();
    (await request.load()).update(data);
    return keyOf((await request.commit(200)).setCookie[0]);
  };
  return { clock, memory, manager, open, existing, hold };
}

describe('a concurrent save keeps the owner binding (issue 15 §2)', () => {
  it('a request that loaded before the login saves afterwards: the owner stays, the index still lists it', async () => {
    const { manager, memory, open, existing } = setup();
    const key = await existing();
    const stale = open(key);
    (await stale.load()).get('views');
    const login = open(key);
    const session = await login.load();
    session.set('user', 'alice');
    await session.setOwner('alice');
    await login.commit(200);
    (await stale.load()).set('views', 1);
    await stale.commit(200);
    expect(memory.peek(key)?.meta.owner).toBe('alice');
    expect(memory.peek(key)?.data).toEqual({ views: 1, user: 'alice' });
    expect(await manager.sessionsOf('alice')).toHaveLength(1);
    expect(await manager.revokeSessions('alice')).toBe(1);
    expect(memory.peek(key)).toBeNull();
  });

  it('three ordinary writes sent with a login, before, during and after its save, never lose the owner', async () => {
    for (let round = 0; round < 4; round++) {
      const { manager, memory, open, existing, hold } = setup();
      const key = await existing();
      const writers = [open(key), open(key), open(key)];
      await Promise.all(writers.map((w) => w.load()));
      const gate = hold('update');
      const login = open(key);
      const session = await login.load();
      await session.setOwner('alice');
      const loginDone = login.commit(200);
      await gate.arrived;
      // Round r: r writers save while the login's update is held, the others after it.
      const write = async (i: number) => {
        writers[i]?.session?.set(`w${i}`, round);
        await writers[i]?.commit(200);
      };
      for (let i = 0; i < round; i++) await write(i);
      gate.open();
      await loginDone;
      for (let i = round; i < writers.length; i++) await write(i);
      expect(memory.peek(key)?.data).toMatchObject({ w0: round, w1: round, w2: round });
      expect(memory.peek(key)?.meta.owner, `round ${round}`).toBe('alice');
      expect((await manager.sessionsOf('alice')).length, `round ${round}`).toBe(1);
    }
  });

  it('an owner is cleared only by the request that clears it (a flush)', async () => {
    const { memory, open, existing } = setup();
    const key = await existing();
    const login = open(key);
    await (await login.load()).setOwner('alice');
    await login.commit(200);
    const logout = open(key);
    await (await logout.load()).flush();
    await logout.commit(200);
    expect(memory.peek(key)).toBeNull();
  });
});

describe('a concurrent save keeps setExpiry() (issue 15 §3)', () => {
  it('a request that loaded before setExpiry(60) saves afterwards: the record still lives 60 s', async () => {
    const { clock, memory, open, existing } = setup();
    const key = await existing();
    const stale = open(key);
    (await stale.load()).get('views');
    const short = open(key);
    (await short.load()).setExpiry(60);
    await short.commit(200);
    clock.advance(5);
    (await stale.load()).set('views', 1);
    await stale.commit(200);
    expect(memory.peek(key)?.expiresAt).toBe(NOW + 5_000 + 60_000);
    expect(memory.peek(key)?.meta.lifetime).toBe(60);
    clock.advance(61);
    const later = open(key);
    expect((await later.load()).get('views')).toBeUndefined();
    expect(later.session?.key).toBeNull();
  });

  it('a touch by a stale request refreshes from the stored lifetime, not its own default', async () => {
    const { clock, memory, open, existing } = setup({ touchInterval: 1 });
    const key = await existing();
    const stale = open(key);
    (await stale.load()).get('views');
    const short = open(key);
    (await short.load()).setExpiry(60);
    await short.commit(200);
    clock.advance(10);
    expect((await stale.commit(200)).action).toBe('touch');
    expect(memory.peek(key)?.expiresAt).toBe(NOW + 10_000 + 60_000);
  });

  it('a fixed instant (setExpiry(date)) is not moved by a later ordinary save', async () => {
    const { clock, memory, open, existing } = setup();
    const key = await existing();
    const fixed = open(key);
    (await fixed.load()).setExpiry(new Date(NOW + 3_600_000));
    await fixed.commit(200);
    clock.advance(30);
    const other = open(key);
    (await other.load()).set('views', 2);
    await other.commit(200);
    expect(memory.peek(key)?.expiresAt).toBe(NOW + 3_600_000);
  });
});

describe('periodic rotation and logout (issue 15 §4)', () => {
  const options = { rotateInterval: 60, rotationGrace: 30 } as const;

  it('logging out under the new key ends the old one too', async () => {
    const { clock, memory, open, existing } = setup(options);
    const oldKey = await existing();
    clock.advance(61);
    const rotating = open(oldKey);
    (await rotating.load()).get('views');
    const newKey = keyOf((await rotating.commit(200)).setCookie[0]);
    expect(newKey).not.toBe(oldKey);
    expect(memory.peek(oldKey)).not.toBeNull();
    const logout = open(newKey);
    await (await logout.load()).flush();
    await logout.commit(200);
    expect(memory.peek(newKey)).toBeNull();
    expect(memory.peek(oldKey)).toBeNull();
  });

  it('logging out under the old key within its grace ends the new one too', async () => {
    const { clock, memory, open, existing } = setup(options);
    const oldKey = await existing();
    clock.advance(61);
    const rotating = open(oldKey);
    (await rotating.load()).get('views');
    const newKey = keyOf((await rotating.commit(200)).setCookie[0]);
    const logout = open(oldKey);
    await (await logout.load()).flush();
    await logout.commit(200);
    expect(memory.peek(oldKey)).toBeNull();
    expect(memory.peek(newKey)).toBeNull();
  });

  for (const step of ['touch', 'create', 'load'] as const) {
    it(`a logout landing before the rotation's ${step} leaves no live copy`, async () => {
      const { clock, memory, open, existing, hold } = setup(options);
      const oldKey = await existing({ user: 'alice' });
      clock.advance(61);
      const rotating = open(oldKey);
      (await rotating.load()).get('user');
      const logout = open(oldKey);
      await logout.load();
      const gate = hold(step);
      const rotation = rotating.commit(200).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      await gate.arrived;
      await logout.session?.flush();
      await logout.commit(200);
      gate.open();
      const outcome = await rotation;
      expect(memory.size, 'no record survives the logout').toBe(0);
      if ('result' in outcome) {
        const issued = keyOf(outcome.result.setCookie[0]);
        expect(memory.peek(issued)).toBeNull();
      } else {
        expect(outcome.error).toMatchObject({ code: 'SESSION_INTERRUPTED' });
      }
    });
  }
});

describe("hashKeysAtRest: 'migrate' (issue 15 §1)", () => {
  it('a stored id sent as the cookie opens nothing and leaves the victim logged in', async () => {
    const { memory, open } = setup({ hashKeysAtRest: 'migrate' });
    const login = open();
    (await login.load()).set('user', 'victim');
    const key = keyOf((await login.commit(200)).setCookie[0]);
    const stolenId = hashSessionKey(key);
    expect(memory.peek(stolenId)).not.toBeNull();
    const attacker = open(stolenId);
    expect((await attacker.load()).get('user')).toBeUndefined();
    // Only the attacker's own cookie goes: deleted, as any cookie that opens no session.
    const answer = await attacker.commit(200);
    expect(answer.action).toBe('delete');
    expect(answer.setCookie).toEqual([expect.stringMatching(/^sessionid=; /)]);
    const victim = open(key);
    expect((await victim.load()).get('user')).toBe('victim');
  });

  it('a migration whose write lands after a concurrent logout does not bring the session back', async () => {
    const clock = createTestClock(NOW);
    const memory = createMemoryStore({ clock });
    const legacy = createSessionManager({ store: memory, clock });
    const before = legacy.open();
    (await before.load()).set('user', 'alice');
    const key = keyOf((await before.commit(200)).setCookie[0]);
    const { store, hold } = gatedStore(memory);
    const manager = createSessionManager({ store, clock, hashKeysAtRest: 'migrate' });
    const open = () => manager.open({ cookieHeader: `sessionid=${key}` });
    const slow = open();
    const gate = hold('create');
    const slowLoad = slow.load();
    await gate.arrived;
    const logout = open();
    await (await logout.load()).flush();
    await logout.commit(200);
    gate.open();
    expect((await slowLoad).get('user')).toBeUndefined();
    expect(memory.size).toBe(0);
  });
});

describe('save() on a new session (issue 15 §5)', () => {
  it('creates the record and sends its cookie, though nothing else changed', async () => {
    const { memory, open } = setup();
    const request = open();
    await (await request.load()).save();
    const result = await request.commit(200);
    const key = keyOf(result.setCookie[0]);
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(memory.peek(key)).not.toBeNull();
    expect(result.action).toBe('save');
  });

  it('writes once: an unchanged session after save() is not written again at commit', async () => {
    const { memory, open, existing } = setup();
    const key = await existing();
    const request = open(key);
    const session = await request.load();
    session.set('views', 5);
    await session.save();
    const before = memory.peek(key);
    await request.commit(200);
    expect(memory.peek(key)).toEqual(before);
  });
});
