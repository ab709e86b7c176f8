import { Client } from '@sess/http-test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, startApp } from './support/app.js';
import { peek, share } from './support/drive.js';
import { type OpenEngine, openEngine, SERVER_ENGINES } from './support/engines.js';
import { budget, SOAK_CLIENTS, SOAK_REQUESTS } from './support/env.js';

/**
 * The second soak: SOAK_CLIENTS writers share a few sessions (a user's tabs, or parallel API calls), each
 * writer setting its own top-level key over and over. Every engine applies per-key deltas, so at the end
 * every key of every session holds its writer's last acknowledged value: none was lost to a concurrent
 * write of another key.
 *
 * memcached's deltas are optimistic (`gets`/`cas`, retried with a random pause): under heavy contention an
 * update may still give up, and then it must say so (a 503 naming the give-up), never drop a write
 * silently. The other engines lock or run one statement per write, and never give up.
 */
const WRITERS_PER_SESSION = 5;
const SESSIONS = Math.max(1, Math.floor(SOAK_CLIENTS / WRITERS_PER_SESSION));

describe.each(SERVER_ENGINES)('shared sessions on the %s engine', (engineName) => {
  let engine: OpenEngine;
  beforeAll(async () => {
    engine = await openEngine(engineName);
  });
  afterAll(() => engine?.close());

  it.for(ADAPTERS)(
    'through %s: concurrent writers of different keys of one session all keep their key',
    { timeout: budget(SOAK_REQUESTS, 5) },
    async (adapter, context) => {
      const app = await startApp(adapter, { store: engine.store });
      const sessions: Client[] = [];
      for (let s = 0; s < SESSIONS; s++) {
        const owner = new Client(app.url);
        expect((await owner.get(`/count?tag=shared-${s}`)).status).toBe(200);
        sessions.push(owner);
      }
      const writers = sessions.flatMap((owner, s) =>
        Array.from({ length: WRITERS_PER_SESSION }, (_, w) => {
          const client = new Client(app.url);
          for (const [name, value] of owner.cookies) client.cookies.set(name, value);
          return { s, key: `w${w}`, client, last: 0 };
        }),
      );
      const failures: string[] = [];
      let gaveUp = 0;
      await Promise.all(
        writers.map(async (writer, index) => {
          for (let n = 1; n <= share(SOAK_REQUESTS, writers.length, index); n++) {
            const response = await writer.client.get(`/set?k=${writer.key}&v=${n}`);
            if (response.status === 200) writer.last = n;
            else if (engineName === 'memcached' && response.status === 503) gaveUp++;
            else
              failures.push(`session ${writer.s} ${writer.key} #${n}: ${response.status} ${response.body}`);
          }
        }),
      );
      expect(failures).toEqual([]);
      expect(app.errors).toHaveLength(gaveUp);
      for (const error of app.errors) {
        expect((error as Error).message).toMatch(
          /^\[@sess\/store-memcached\] update gave up: concurrent writes/,
        );
      }
      for (const [s, owner] of sessions.entries()) {
        const expected: Record<string, unknown> = { tag: `shared-${s}`, count: 1 };
        for (const writer of writers) if (writer.s === s) expected[writer.key] = writer.last;
        expect(await peek(owner)).toEqual(expected);
      }
      await app.close();
      await context.annotate(
        `${writers.length} writers on ${SESSIONS} sessions; ${gaveUp} explicit give-ups`,
      );
    },
  );
});
