import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp } from './support/app.js';
import { driveCounters, peek } from './support/drive.js';
import { type OpenEngine, openEngine, SERVER_ENGINES } from './support/engines.js';
import { budget, SOAK_CLIENTS, SOAK_REQUESTS } from './support/env.js';
import { activeResources, heapAfterGc, settleResources } from './support/resources.js';

/**
 * A bounded soak of each adapter on each server engine, over loopback: SOAK_CLIENTS visitors at once, each
 * with its own session, SOAK_REQUESTS requests in all (`SESS_SOAK_REQUESTS` for the long mode).
 *
 * The app's long-lived parts (the driver client, the store) are opened once per engine; a warm-up app
 * brings pools and caches to their working size first, then the baseline is taken with no app running.
 */
const WARM_UP = Math.max(SOAK_CLIENTS * 4, Math.floor(SOAK_REQUESTS / 10));
/**
 * Heap growth allowed between the warm-up and the end, both after full collections: 8 MiB, or 2 KiB per
 * request in a longer run. A per-request leak (a listener, a timer, a retained response) of a few hundred
 * bytes crosses it within the long mode's 10⁵ requests; noise between two collections stays far below.
 */
const HEAP_MARGIN = Math.max(8 * 1024 * 1024, SOAK_REQUESTS * 2048);

describe.each(SERVER_ENGINES)('soak on the %s engine', (engineName) => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine(engineName);
  });
  afterAll(() => engine?.close());

  it.each(ADAPTERS)(
    'through %s: every counter exact, no error response, heap and open handles back to the warm-up baseline',
    async (adapter) => {
      const warm = await startApp(adapter, { store: engine.store });
      const warmUp = await driveCounters(warm.url, SOAK_CLIENTS, WARM_UP, `warm-${adapter}`);
      await warm.close();
      expect(warmUp.failures).toEqual([]);
      const baselineResources = await settleBaseline();
      const baselineHeap = await heapAfterGc();

      const app = await startApp(adapter, { store: engine.store });
      const run = await driveCounters(app.url, SOAK_CLIENTS, SOAK_REQUESTS, `soak-${adapter}`);
      expect(run.failures).toEqual([]);
      expect(app.errors).toEqual([]);
      const totals = run.visitors.reduce((sum, visitor) => sum + visitor.sent, 0);
      expect(totals).toBe(SOAK_REQUESTS);
      for (const visitor of run.visitors) {
        // What the server holds, read back: exactly as many increments as the visitor sent.
        expect(await peek(visitor.client)).toEqual({ tag: visitor.tag, count: visitor.sent });
      }
      await app.close();

      expect(await settleResources(baselineResources)).toEqual({});
      const endHeap = await heapAfterGc();
      expect(endHeap - baselineHeap, `heap ${baselineHeap} → ${endHeap} bytes`).toBeLessThan(HEAP_MARGIN);
    },
    budget(SOAK_REQUESTS, 5),
  );
});

/** The resources once the warm-up app's sockets have closed: counts that stay put for a moment. */
async function settleBaseline(): Promise<Record<string, number>> {
  let previous = activeResources();
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = activeResources();
    if (JSON.stringify(now) === JSON.stringify(previous)) return now;
    previous = now;
  }
  return previous;
}
