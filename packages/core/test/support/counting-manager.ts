import {
  createMemoryStore,
  createSessionManager,
  type MemoryStore,
  type SessionData,
  type SessionManagerOptions,
} from '../../src/index.js';
import type { SessionStore, SessionUpdate } from '../../src/store/index.js';
import { cookieHeaderFor, createTestClock } from '../../src/testing.js';

/** The instant every counting manager's clock starts at. */
export const NOW = Date.UTC(2024, 0, 1);

/** The `Set-Cookie` header that deletes the default session cookie. */
export const DELETION =
  'sessionid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax';

/** A store operation the counting store counts. */
export type Operation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** Passes every call through to a real MemoryStore, counting them and keeping a copy of each update. */
export function countingStore(inner: MemoryStore) {
  const calls: Record<Operation, number> = { load: 0, create: 0, update: 0, touch: 0, destroy: 0 };
  const updates: SessionUpdate[] = [];
  const count =
    <A extends unknown[], R>(operation: Operation, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[operation]++;
      return fn(...args);
    };
  const store: SessionStore = {
    name: 'counting MemoryStore',
    capabilities: inner.capabilities,
    load: count('load', (key) => inner.load(key)),
    create: count('create', (key, record) => inner.create(key, record)),
    update: count('update', (key, update) => {
      updates.push(structuredClone(update));
      return inner.update(key, update);
    }),
    touch: count('touch', (key, change) => inner.touch(key, change)),
    destroy: count('destroy', (key) => inner.destroy(key)),
    clearExpired: () => inner.clearExpired(),
  };
  const writes = () => calls.create + calls.update + calls.touch + calls.destroy;
  const total = () => calls.load + writes();
  const reset = () => {
    for (const key of Object.keys(calls) as Operation[]) calls[key] = 0;
  };
  return { store, calls, updates, writes, total, reset };
}

/**
 * A manager over a counting MemoryStore on a test clock at {@link NOW}: `store` is the MemoryStore
 * itself (for `peek`), `counted` the counting store in front of it, `existing` saves a session.
 */
export function countingManager(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock(NOW);
  const store = createMemoryStore({ clock });
  const counting = countingStore(store);
  const manager = createSessionManager({ store: counting.store, clock, ...options });
  /** A cookie header for a stored session holding `data`; the store counters start at 0 afterwards. */
  const existing = async (data: SessionData = { user: 'ada' }) => {
    const cookie = await cookieHeaderFor(manager, data);
    counting.reset();
    return { cookie, key: cookie.slice(cookie.indexOf('=') + 1) };
  };
  return { ...counting, counted: counting.store, clock, store, manager, existing };
}

/** The cookie value a `Set-Cookie` header carries, or undefined. */
export const keyOf = (header: string | undefined) => /^[^=]+=([^;]*)/.exec(header ?? '')?.[1];
