import type { CapacityResults } from './capacity-results.js';
import type { RequestCost } from './measure-requests.js';
import { SESSION_KINDS, type SessionKind } from './session-kinds.js';

/** The load sized in the worked example. */
export const EXAMPLE_LOAD = {
  sessions: 10_000_000,
  requestsPerSecond: 5_000,
  /** The share of requests that modify the session; the others only read it. */
  writeShare: 0.2,
} as const;

/** Round trips a request kind sends that only read. */
const READ_TRIPS = new Set(['HGETALL', 'SELECT', 'get']);

/** The server traffic of the example's mix on one engine, per second. */
export interface ExampleTraffic {
  /** Round trips (statements on PostgreSQL). */
  roundTrips: number;
  /** Of which write. */
  writes: number;
  /** Commands the server runs (a Redis script's inner commands included). */
  commands: number;
}

/** The worked example: the measured figures scaled to {@link EXAMPLE_LOAD}. */
export interface WorkedExample {
  load: typeof EXAMPLE_LOAD;
  /** Bytes at rest for all the sessions, if all were of one kind. */
  atRest: {
    redis: Record<SessionKind, number>;
    postgres: Record<SessionKind, number>;
    memcached: Record<SessionKind, number>;
    file: Record<SessionKind, number>;
  };
  traffic: { redis: ExampleTraffic; postgres: ExampleTraffic; memcached: ExampleTraffic };
}

function perKind(bytes: (kind: SessionKind) => number): Record<SessionKind, number> {
  const all = {} as Record<SessionKind, number>;
  for (const kind of SESSION_KINDS) all[kind] = Math.round(bytes(kind) * EXAMPLE_LOAD.sessions);
  return all;
}

function traffic(modifying: RequestCost, unmodified: RequestCost): ExampleTraffic {
  const { requestsPerSecond: rps, writeShare } = EXAMPLE_LOAD;
  const rate = (of: (cost: RequestCost) => number) =>
    Math.round(rps * (writeShare * of(modifying) + (1 - writeShare) * of(unmodified)));
  return {
    roundTrips: rate((cost) => cost.server?.trips.length ?? 0),
    writes: rate((cost) => cost.server?.trips.filter((trip) => !READ_TRIPS.has(trip)).length ?? 0),
    commands: rate((cost) => cost.server?.commands ?? 0),
  };
}

/**
 * Scales the measured figures to {@link EXAMPLE_LOAD}: Redis by `used_memory` per session, PostgreSQL by
 * table and index bytes per row, memcached by slab chunk, files by allocated blocks; traffic from the
 * modifying and read-only requests' counts (new visitors, touches, logins and logouts left out).
 */
export function workedExample(results: Omit<CapacityResults, 'example'>): WorkedExample {
  const { bytes, requests } = results;
  const mix = (engine: 'redis' | 'postgres' | 'memcached') =>
    traffic(requests[engine].modifying, requests[engine].unmodified);
  return {
    load: EXAMPLE_LOAD,
    atRest: {
      redis: perKind((kind) => bytes.redis[kind].perSession),
      postgres: perKind((kind) => bytes.postgres[kind].total),
      memcached: perKind((kind) => bytes.memcached[kind].chunk),
      file: perKind((kind) => bytes.file[kind].allocated),
    },
    traffic: { redis: mix('redis'), postgres: mix('postgres'), memcached: mix('memcached') },
  };
}
