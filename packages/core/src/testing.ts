import type { Clock } from './clock.js';
import type { SessionManager } from './manager/session-manager.js';
import { createMemoryStore, type MemoryStore } from './memory-store.js';
import type { SessionData } from './store/contract.js';

/** A clock that moves only when told to. */
export interface TestClock extends Clock {
  /** Moves time forward by `seconds` (session lifetimes are seconds). */
  advance(seconds: number): void;
  /** Jumps to an instant (ms since the epoch or a Date). */
  set(at: number | Date): void;
}

/** A clock fixed at `start` (default 2024-01-01T00:00:00Z) for timeout tests without sleeping. */
export function createTestClock(start: number | Date = Date.UTC(2024, 0, 1)): TestClock {
  let now = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
    set(at: number | Date) {
      now = typeof at === 'number' ? at : at.getTime();
    },
  };
}

/** A memory store that reads the given clock, for handler tests. */
export function createTestStore(clock?: Clock): MemoryStore {
  return createMemoryStore(clock ? { clock } : {});
}

/**
 * Saves a session holding `data` through `manager` (exactly as a request would) and returns the
 * `Cookie` request header that carries it, e.g. to call a handler as a logged-in user.
 */
export async function cookieHeaderFor<Data extends SessionData>(
  manager: SessionManager<Data>,
  data: Partial<Data>,
): Promise<string> {
  const request = manager.open();
  const session = await request.load();
  session.update(data);
  const result = await request.commit(200);
  return result.setCookie.map((header) => header.slice(0, header.indexOf(';'))).join('; ');
}
