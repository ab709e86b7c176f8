import { setTimeout as sleep } from 'node:timers/promises';
import { startContender } from '../contenders/index.js';
import type { Backing, ContenderSpec } from '../contenders/types.js';
import { CookieJar, get } from '../http-client.js';
import { type MemcachedCounts, memcachedCounts, memcachedDelta } from './memcached-counter.js';
import { PgCounter, sqlWrites } from './pg-counter.js';
import { type MonitoredCommand, RedisMonitor } from './redis-monitor.js';

/** The requests whose store traffic is counted. */
export type Scenario = 'created' | 'modifying' | 'unmodified' | 'untouched';

/** What each scenario sends. */
export const SCENARIOS: Record<Scenario, { path: string; cookie: boolean; what: string }> = {
  created: { path: '/visit', cookie: false, what: 'new visitor: /visit without a cookie' },
  modifying: { path: '/visit', cookie: true, what: 'returning visitor: /visit (counter +1)' },
  unmodified: { path: '/read', cookie: true, what: 'read-only: /read (session read, not modified)' },
  untouched: { path: '/static', cookie: true, what: 'never asks for the session: /static' },
};

/** The round trips of one request to the session's store. */
export interface RoundTrips {
  /** Round trips that only read. */
  reads: number;
  /** Round trips that write (a script, a pipeline or MULTI…EXEC counts once). */
  writes: number;
  /** What was sent, one entry per round trip (`HGETALL`, `EVALSHA`, `SELECT`, `get`…). */
  trips: string[];
  /** Redis only: every command the server ran (INFO commandstats), a script's inner commands included. */
  serverCommands?: number;
}

/** The counts of one contender. */
export interface OpsResult {
  contender: string;
  engine: 'redis' | 'postgres' | 'memcached';
  /** One entry per repetition, which must all agree. */
  scenarios: Record<Scenario, RoundTrips[]>;
}

interface Counter {
  begin(): Promise<void>;
  end(): Promise<RoundTrips>;
  close(): void;
}

const REDIS_READS = new Set(['get', 'mget', 'hget', 'hgetall', 'hmget', 'exists', 'ttl', 'pttl', 'strlen']);

/** Groups MONITOR lines into round trips: one per client command, MULTI…EXEC once, script internals none. */
export function redisRoundTrips(commands: readonly MonitoredCommand[]): Omit<RoundTrips, 'serverCommands'> {
  const trips: { names: string[]; open: boolean; source: string }[] = [];
  for (const command of commands) {
    if (command.source === 'lua') continue;
    const block = trips.find((trip) => trip.source === command.source && trip.open);
    if (block) {
      block.names.push(command.name);
      if (command.name === 'exec' || command.name === 'discard') block.open = false;
      continue;
    }
    trips.push({ names: [command.name], open: command.name === 'multi', source: command.source });
  }
  let reads = 0;
  let writes = 0;
  for (const trip of trips) {
    if (trip.names.every((name) => REDIS_READS.has(name))) reads++;
    else writes++;
  }
  return { reads, writes, trips: trips.map((trip) => trip.names.join('+').toUpperCase()) };
}

async function redisCounter(url: string): Promise<Counter> {
  const monitor = await RedisMonitor.open(url);
  let before: Record<string, number> = {};
  return {
    async begin() {
      await monitor.take();
      before = await monitor.commandStats();
    },
    async end() {
      const seen = await monitor.take();
      const after = await monitor.commandStats();
      let serverCommands = 0;
      for (const [name, calls] of Object.entries(after)) {
        if (name === 'info' || name === 'echo') continue;
        serverCommands += calls - (before[name] ?? 0);
      }
      return { ...redisRoundTrips(seen), serverCommands };
    },
    close: () => monitor.close(),
  };
}

function pgCounter(): Counter {
  const counter = new PgCounter();
  return {
    async begin() {
      counter.take();
    },
    async end() {
      const statements = counter.take();
      const writes = statements.filter(sqlWrites).length;
      const trips = statements.map((text) => (/^\s*(\w+)/.exec(text)?.[1] ?? '?').toUpperCase());
      return { reads: statements.length - writes, writes, trips };
    },
    close: () => counter.restore(),
  };
}

function memcachedCounter(servers: readonly string[]): Counter {
  let before: MemcachedCounts | undefined;
  return {
    async begin() {
      before = await memcachedCounts(servers);
    },
    async end() {
      const after = await memcachedCounts(servers);
      const delta = memcachedDelta(before ?? after, after);
      // The counters say how many of each, not in which order: reads first, as a request does them.
      const trips = (['get', 'cas', 'set', 'touch', 'delete'] as const).flatMap((name) =>
        Array<string>(delta[name]).fill(
          name === 'get' ? 'get/gets' : name === 'set' ? 'set/add/replace' : name,
        ),
      );
      return { reads: delta.get, writes: delta.cas + delta.set + delta.touch + delta.delete, trips };
    },
    close: () => {},
  };
}

/** The engine whose traffic is counted for a contender, if it has one. */
export function countedEngine(spec: ContenderSpec): OpsResult['engine'] | undefined {
  if (spec.store === 'redis') return 'redis';
  if (spec.store === 'db') return 'postgres';
  if (spec.store === 'memcached') return 'memcached';
  return undefined;
}

/**
 * Starts the contender in this process and counts, with the engine's own counters, the round trips of
 * each scenario's request, `repeats` times each, after a warm-up that loads scripts and opens connections.
 */
export async function countOps(spec: ContenderSpec, backing: Backing, repeats = 3): Promise<OpsResult> {
  const engine = countedEngine(spec);
  if (!engine) throw new Error(`bench: ${spec.id} keeps sessions in no countable engine`);
  const counter =
    engine === 'redis'
      ? await redisCounter(backing.redisUrl)
      : engine === 'postgres'
        ? pgCounter()
        : memcachedCounter(backing.memcachedServers);
  const running = await startContender(spec.module, { ...backing, port: 0, variant: spec.variant });
  try {
    const jar = new CookieJar();
    for (const path of ['/visit', '/visit', '/visit', '/read', '/static']) {
      const reply = await get(running.url, path, jar.header());
      if (reply.status !== 200) throw new Error(`bench: ${spec.id} answered ${reply.status} on ${path}`);
      jar.update(reply.setCookies);
    }
    await get(running.url, '/visit');
    const scenarios = {} as Record<Scenario, RoundTrips[]>;
    for (const [name, scenario] of Object.entries(SCENARIOS) as [Scenario, (typeof SCENARIOS)[Scenario]][]) {
      scenarios[name] = [];
      for (let i = 0; i < repeats; i++) {
        await counter.begin();
        const reply = await get(running.url, scenario.path, scenario.cookie ? jar.header() : undefined);
        if (reply.status !== 200) throw new Error(`bench: ${spec.id} answered ${reply.status} on ${name}`);
        if (scenario.cookie) jar.update(reply.setCookies);
        // A store write a library fires without awaiting it would land after the response.
        await sleep(25);
        scenarios[name].push(await counter.end());
      }
    }
    return { contender: spec.id, engine, scenarios };
  } finally {
    counter.close();
    await running.close();
  }
}
