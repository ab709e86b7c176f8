import { isDeepStrictEqual } from 'node:util';
import { createSessionManager } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import { countingStore } from './counting-store.js';
import { type CapacityServers, type EngineId, openEngine } from './engines.js';
import type { ServerTraffic } from './server-commands.js';
import { REQUEST_KINDS, type RequestKind, Visitor } from './visitor.js';

/** What one request cost its engine. */
export interface RequestCost {
  /** The calls core made to the store (`load`, `update`…): store round trips as the manager sees them. */
  store: string[];
  /** What the server saw; absent for memory and file. */
  server?: ServerTraffic;
}

/** The manager's `touchInterval` in the sized setup, seconds. */
export const TOUCH_INTERVAL = 60;

/**
 * Drives a real manager over engine `id` through every request kind, `1 + repeats` times: the first
 * round warms up (connections, Lua scripts, prepared statements) and is not kept; the others must agree
 * exactly, or this throws.
 */
export async function measureRequests(
  id: EngineId,
  servers: CapacityServers,
  repeats = 2,
): Promise<Record<RequestKind, RequestCost>> {
  // Ahead of real time only (advanced at each touch): Redis and memcached expire on their own clocks.
  const clock = createTestClock(Date.now());
  const engine = await openEngine(id, servers, clock);
  const { store, calls } = countingStore(engine.store);
  const manager = createSessionManager({ store, clock, touchInterval: TOUCH_INTERVAL });
  const visitor = new Visitor(manager, clock, TOUCH_INTERVAL);
  try {
    const rounds: Record<RequestKind, RequestCost>[] = [];
    for (let round = 0; round <= repeats; round++) {
      const costs = {} as Record<RequestKind, RequestCost>;
      for (const kind of REQUEST_KINDS) {
        calls.take();
        await engine.counter?.begin();
        await visitor.request(kind);
        const cost: RequestCost = { store: calls.take() };
        if (engine.counter) cost.server = await engine.counter.end();
        costs[kind] = cost;
      }
      if (round > 0) rounds.push(costs);
    }
    const [first, ...others] = rounds;
    if (!first) throw new Error('capacity: measureRequests needs repeats >= 1');
    for (const other of others) {
      if (!isDeepStrictEqual(other, first)) {
        throw new Error(`capacity: ${id} did not cost the same twice:\n${JSON.stringify({ first, other })}`);
      }
    }
    return first;
  } finally {
    await manager.close();
    await engine.close();
  }
}
