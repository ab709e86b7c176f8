import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore, createSessionManager, type SessionEvent } from '../src/index.js';

// Counts the HMACs core computes: an event's handle is one (see session-handles.ts).
const hmacs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  const createHmac: typeof crypto.createHmac = (...args) => {
    hmacs.count++;
    return crypto.createHmac(...args);
  };
  return { ...crypto, createHmac };
});

/** One request without a cookie that writes a key, logs in and, with `flush`, logs out again. */
async function visit(
  onEvent: ((event: SessionEvent) => void) | undefined,
  steps: { cycle?: boolean; flush?: boolean },
) {
  const manager = createSessionManager({ store: createMemoryStore(), ...(onEvent ? { onEvent } : {}) });
  const open = manager.open({});
  const session = await open.load();
  session.set('visits', 1);
  await session.save();
  if (steps.cycle) await session.cycleKey();
  if (steps.flush) await session.flush();
  return open.commit(200);
}

describe('event handles', () => {
  beforeEach(() => {
    hmacs.count = 0;
  });

  it('are not derived when nobody listens: creating, cycling and flushing a session computes no HMAC', async () => {
    const result = await visit(undefined, { cycle: true });
    expect(result.setCookie).toHaveLength(1);
    await visit(undefined, { flush: true });
    expect(hmacs.count).toBe(0);
  });

  it('are derived for a listener, one per session named (created, then the cycled key and its predecessor)', async () => {
    const events: SessionEvent[] = [];
    await visit((event) => events.push(event), { cycle: true });
    expect(events.map((event) => event.type)).toEqual(['created', 'created', 'destroyed']);
    const [created, recreated, destroyed] = events as [SessionEvent, SessionEvent, SessionEvent];
    expect('handle' in created && created.handle).toMatch(/^[\w-]{43}$/);
    expect('handle' in destroyed && destroyed.handle).toBe('handle' in created && created.handle);
    expect('handle' in recreated && recreated.handle).not.toBe('handle' in created && created.handle);
    expect(hmacs.count).toBe(3);
  });
});
