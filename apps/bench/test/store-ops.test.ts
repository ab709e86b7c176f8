import { createTestDatabase, type TestDatabase } from '@sess/test-harness';
import { type Server, startMemcached, startRedis } from '@sess/test-harness/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backing } from '../src/contenders/types.js';
import { contender, LINEUP } from '../src/lineup.js';
import {
  countedEngine,
  countOps,
  type RoundTrips,
  redisRoundTrips,
  type Scenario,
} from '../src/ops/count-ops.js';
import { SESS_OPS } from '../src/table.js';

type Trips = Record<Scenario, string[]>;

/** What sess sends per request on each counted engine, whatever the framework. */
const SESS_TRIPS: Record<string, Trips> = {
  redis: { created: ['EVALSHA'], modifying: ['HGETALL', 'EVALSHA'], unmodified: ['HGETALL'], untouched: [] },
  db: { created: ['INSERT'], modifying: ['SELECT', 'UPDATE'], unmodified: ['SELECT'], untouched: [] },
  // load is a `gets`; the update with a delta is a `cas` on the token that load read.
  memcached: {
    created: ['set/add/replace'],
    modifying: ['get/gets', 'cas'],
    unmodified: ['get/gets'],
    untouched: [],
  },
};

/** What each hand-written floor sends: one read to load, one write to save, nothing it was not asked for. */
const FLOOR_TRIPS: Record<string, Trips> = {
  redis: { created: ['SET'], modifying: ['GET', 'SET'], unmodified: ['GET'], untouched: [] },
  db: { created: ['INSERT'], modifying: ['SELECT', 'INSERT'], unmodified: ['SELECT'], untouched: [] },
  memcached: {
    created: ['set/add/replace'],
    modifying: ['get/gets', 'set/add/replace'],
    unmodified: ['get/gets'],
    untouched: [],
  },
};

/** Every sess contender and floor of the line-up on a counted engine, with the trips of its kind. */
const generated = (kind: 'sess' | 'floor', trips: Record<string, Trips>): [string, Trips][] =>
  LINEUP.filter((spec) => spec.kind === kind && trips[spec.store]).map((spec) => [
    spec.id,
    trips[spec.store] as Trips,
  ]);

/**
 * Round trips to the store per request, counted by the engines themselves (Redis MONITOR + INFO
 * commandstats, memcached `stats`) or at the client (every statement the pg driver sends). They are exact,
 * so they are asserted: sess's targets, and the peers' behaviour the speed comparison rests on.
 */
const EXPECTED: Record<string, Trips> = {
  ...Object.fromEntries(generated('sess', SESS_TRIPS)),
  ...Object.fromEntries(generated('floor', FLOOR_TRIPS)),
  // @hono/session reads its storage in get() and again in update(), and only when asked.
  'hono-session-redis': {
    created: ['SET'],
    modifying: ['GET', 'GET', 'SET'],
    unmodified: ['GET'],
    untouched: [],
  },
  // koa-session loads from its store before the route runs, so /static costs a GET too.
  'koa-session-redis': {
    created: ['SET'],
    modifying: ['GET', 'SET'],
    unmodified: ['GET'],
    untouched: ['GET'],
  },
  // express-session touches (EXPIRE) every unmodified session it loaded, on every route.
  'express-session-redis': {
    created: ['SET'],
    modifying: ['GET', 'SET'],
    unmodified: ['GET', 'EXPIRE'],
    untouched: ['GET', 'EXPIRE'],
  },
  // @fastify/session loads in onRequest, so /static costs a GET too; with rolling: false an unmodified
  // session is not written.
  'fastify-session-redis': {
    created: ['SET'],
    modifying: ['GET', 'SET'],
    unmodified: ['GET'],
    untouched: ['GET'],
  },
  'express-session-pg': {
    created: ['INSERT'],
    modifying: ['SELECT', 'INSERT'],
    unmodified: ['SELECT', 'UPDATE'],
    untouched: ['SELECT', 'UPDATE'],
  },
};

/** The issue's per-request targets hold where sess keeps sessions in Redis or PostgreSQL. */
const MEETS_TARGETS = LINEUP.filter(
  (spec) => spec.kind === 'sess' && (spec.store === 'redis' || spec.store === 'db'),
).map((spec) => spec.id);

// Own Redis and memcached servers: their counters must see this file's traffic only.
let redis: Server;
let memcached: Server;
let database: TestDatabase;
let backing: Backing;

beforeAll(async () => {
  [redis, memcached, database] = await Promise.all([
    startRedis(),
    startMemcached(),
    createTestDatabase('bench_ops'),
  ]);
  backing = {
    redisUrl: redis.url,
    databaseUrl: database.url,
    memcachedServers: [memcached.address],
    fileDir: '/nonexistent',
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([redis?.close(), memcached?.close(), database?.drop()]);
});

describe('store round trips per request', () => {
  it('covers every contender that keeps sessions in a counted engine', () => {
    const counted = LINEUP.filter((spec) => countedEngine(spec)).map((spec) => spec.id);
    expect(Object.keys(EXPECTED).sort()).toEqual(counted.sort());
  });

  for (const [id, expected] of Object.entries(EXPECTED)) {
    it(`${id}: ${Object.entries(expected)
      .map(([scenario, trips]) => `${scenario} ${trips.length}`)
      .join(', ')}`, async () => {
      const result = await countOps(contender(id), backing, 3);
      for (const [scenario, trips] of Object.entries(expected) as [Scenario, string[]][]) {
        const seen = result.scenarios[scenario].map((t: RoundTrips) => t.trips);
        expect(seen, `${id} ${scenario}`).toEqual([trips, trips, trips]);
      }
    }, 60_000);
  }

  for (const id of MEETS_TARGETS) {
    it(`${id} meets the issue's targets: modifying 1R+1W, unmodified 1R+0W, untouched 0`, async () => {
      const result = await countOps(contender(id), backing, 2);
      for (const [scenario, [reads, writes]] of Object.entries(SESS_OPS) as [Scenario, [number, number]][]) {
        for (const trips of result.scenarios[scenario]) {
          expect({ scenario, reads: trips.reads, writes: trips.writes }).toEqual({ scenario, reads, writes });
        }
      }
    }, 60_000);
  }

  it('counts a Lua script as one round trip however many commands it runs', async () => {
    const result = await countOps(contender('sess-koa-redis'), backing, 1);
    const [modifying] = result.scenarios.modifying;
    expect(modifying?.trips).toEqual(['HGETALL', 'EVALSHA']);
    // HGETALL + the update script's EXISTS, HSET, PEXPIREAT…: Redis ran more commands than round trips.
    expect(modifying?.serverCommands).toBeGreaterThan(2);
  }, 60_000);
});

describe('grouping MONITOR lines into round trips', () => {
  it('counts MULTI…EXEC once, skips script internals and keeps connections apart', () => {
    const trips = redisRoundTrips([
      { name: 'get', source: '127.0.0.1:1' },
      { name: 'multi', source: '127.0.0.1:1' },
      { name: 'get', source: '127.0.0.1:2' },
      { name: 'set', source: '127.0.0.1:1' },
      { name: 'expire', source: '127.0.0.1:1' },
      { name: 'exec', source: '127.0.0.1:1' },
      { name: 'evalsha', source: '127.0.0.1:1' },
      { name: 'hset', source: 'lua' },
      { name: 'pexpireat', source: 'lua' },
    ]);
    expect(trips).toEqual({
      reads: 2,
      writes: 2,
      trips: ['GET', 'MULTI+SET+EXPIRE+EXEC', 'GET', 'EVALSHA'],
    });
  });
});
