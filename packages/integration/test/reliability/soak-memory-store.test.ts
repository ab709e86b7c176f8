import { createMemoryStore } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, startApp } from './support/app.js';
import { driveCounters, peek } from './support/drive.js';
import { budget, SOAK_CLIENTS, SOAK_REQUESTS } from './support/env.js';
import { heapAfterGc } from './support/resources.js';

/**
 * The bounded MemoryStore under a soak: SOAK_CLIENTS visitors keep their sessions while anonymous traffic
 * creates a new session on every request (a crawler that drops cookies). The store never holds more than
 * its cap, evicts the idle anonymous sessions rather than the active ones, and the heap stays flat.
 */
const CAP = 200;
const HEAP_MARGIN = Math.max(8 * 1024 * 1024, SOAK_REQUESTS * 2048);

/**
 * Requests that each start a session and throw its cookie away, `parallel` at a time, until `total` were
 * sent or `stop()` says to end.
 */
async function churn(url: string, total: number, parallel: number, stop: () => boolean) {
  const failures: string[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (sent < total && !stop()) {
        const n = sent++;
        const response = await new Client(url).get(`/count?tag=anon-${n}`);
        if (response.status !== 200 || response.setCookies.length !== 1) {
          failures.push(`anonymous #${n}: ${response.status} ${response.body}`);
        }
      }
    }),
  );
  return { sent, failures };
}

describe('soak on the MemoryStore', () => {
  it.each(ADAPTERS)(
    'through %s: at most maxEntries sessions while anonymous traffic churns, counters exact, heap flat',
    async (adapter) => {
      const store = createMemoryStore({ maxEntries: CAP });
      const app = await startApp(adapter, { store });
      let largest = 0;
      const sampler = setInterval(() => {
        largest = Math.max(largest, store.size);
      }, 5);
      expect(await churn(app.url, CAP * 2, 10, () => false)).toEqual({ sent: CAP * 2, failures: [] });
      const baselineHeap = await heapAfterGc();

      // The churn stops when the first visitor is done: from then on, sessions left idle stay put.
      let firstDone = false;
      const [run, anonymous] = await Promise.all([
        driveCounters(app.url, SOAK_CLIENTS, SOAK_REQUESTS, `mem-${adapter}`, () => {
          firstDone = true;
        }),
        churn(app.url, SOAK_REQUESTS, 5, () => firstDone),
      ]);
      clearInterval(sampler);
      largest = Math.max(largest, store.size);
      expect(run.failures).toEqual([]);
      expect(anonymous.failures).toEqual([]);
      // The warm-up alone created twice the cap, and the churn ran beside the visitors.
      expect(anonymous.sent).toBeGreaterThan(0);
      expect(app.errors).toEqual([]);
      expect(largest).toBeLessThanOrEqual(CAP);
      expect(store.size).toBe(CAP);
      for (const visitor of run.visitors) {
        expect(await peek(visitor.client)).toEqual({ tag: visitor.tag, count: visitor.sent });
      }
      await app.close();
      const endHeap = await heapAfterGc();
      expect(endHeap - baselineHeap, `heap ${baselineHeap} → ${endHeap} bytes`).toBeLessThan(HEAP_MARGIN);
    },
    budget(SOAK_REQUESTS, 10),
  );
});
