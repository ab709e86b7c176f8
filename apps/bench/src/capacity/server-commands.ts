import { redisRoundTrips } from '../ops/count-ops.js';
import { memcachedCounts, memcachedDelta } from '../ops/memcached-counter.js';
import { PgCounter } from '../ops/pg-counter.js';
import { RedisMonitor } from '../ops/redis-monitor.js';

/** What the server saw of one request. */
export interface ServerTraffic {
  /** One entry per round trip, in order (`HGETALL`, `EVALSHA`; `SELECT`, `UPDATE`; `get`, `cas`). */
  trips: string[];
  /** Every command the server ran, a script's inner commands included (Redis: INFO commandstats). */
  commands: number;
  /** Redis only: the commands in order, `HSET` of a script marked `lua:HSET`. */
  detail?: string[];
}

/** Counts, with the engine's own counters, what one request sent to its server. */
export interface ServerCounter {
  begin(): Promise<void>;
  end(): Promise<ServerTraffic>;
  close(): void;
}

/**
 * Redis: MONITOR (the round trips, a MULTI…EXEC or a script once) and `INFO commandstats` (every command
 * the server ran, those of scripts included).
 */
export async function redisServerCounter(url: string): Promise<ServerCounter> {
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
      let commands = 0;
      for (const [name, calls] of Object.entries(after)) {
        if (name === 'info' || name === 'echo') continue;
        commands += calls - (before[name] ?? 0);
      }
      const detail = seen.map((c) => (c.source === 'lua' ? `lua:${c.name}` : c.name).toUpperCase());
      return { trips: redisRoundTrips(seen).trips, commands, detail };
    },
    close: () => monitor.close(),
  };
}

/** PostgreSQL: every statement this process's `pg` driver sends (one round trip each). */
export function pgServerCounter(): ServerCounter {
  const counter = new PgCounter();
  return {
    async begin() {
      counter.take();
    },
    async end() {
      const trips = counter.take().map((text) => (/^\s*(\w+)/.exec(text)?.[1] ?? '?').toUpperCase());
      return { trips, commands: trips.length };
    },
    close: () => counter.restore(),
  };
}

/** The order a request sends memcached commands in (its counters say how many, not in which order). */
const MEMCACHED_ORDER = ['get', 'cas', 'set', 'touch', 'delete'] as const;

/**
 * memcached: its own `stats` counters, summed over the servers. `get` counts `gets` too and `set` counts
 * `add` and `replace` (memcached keeps one counter for each family).
 */
export function memcachedServerCounter(servers: readonly string[]): ServerCounter {
  let before: Awaited<ReturnType<typeof memcachedCounts>> | undefined;
  return {
    async begin() {
      before = await memcachedCounts(servers);
    },
    async end() {
      const after = await memcachedCounts(servers);
      const delta = memcachedDelta(before ?? after, after);
      const trips = MEMCACHED_ORDER.flatMap((name) => Array<string>(delta[name]).fill(name));
      return { trips, commands: trips.length };
    },
    close: () => {},
  };
}
