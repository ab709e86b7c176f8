import { type CapacityServers, ENGINES, type EngineId } from './engines.js';
import { type FileBytes, fileBytes } from './file-bytes.js';
import { measureRequests, type RequestCost } from './measure-requests.js';
import { type MemcachedBytes, memcachedBytes } from './memcached-bytes.js';
import { type PostgresBytes, postgresBytes } from './postgres-bytes.js';
import { type RedisBytes, redisBytes } from './redis-bytes.js';
import { type ServerVersions, serverVersions } from './server-versions.js';
import type { SessionKind } from './session-kinds.js';
import type { RequestKind } from './visitor.js';
import { type WorkedExample, workedExample } from './worked-example.js';

/** How many sessions of each kind the per-session bytes are averaged over. */
export const DEFAULT_BULK = 10_000;

/** Everything `pnpm --filter @sess/bench capacity` measures (results/capacity.json). */
export interface CapacityResults {
  measuredOn: ServerVersions & { bulk: number };
  /** Per engine and request kind: the store calls and what the server saw. */
  requests: Record<EngineId, Record<RequestKind, RequestCost>>;
  /** Per engine and session kind: bytes at rest. */
  bytes: {
    redis: Record<SessionKind, RedisBytes>;
    postgres: Record<SessionKind, PostgresBytes>;
    memcached: Record<SessionKind, MemcachedBytes>;
    file: Record<SessionKind, FileBytes>;
  };
  example: WorkedExample;
}

/** Measures every figure against `servers` (their counters must see this run's traffic only). */
export async function measureCapacity(
  servers: CapacityServers,
  bulk: number = DEFAULT_BULK,
): Promise<CapacityResults> {
  const requests = {} as CapacityResults['requests'];
  for (const id of ENGINES) requests[id] = await measureRequests(id, servers);
  const [memcached = ''] = servers.memcachedServers;
  const measured = {
    measuredOn: { ...(await serverVersions(servers)), bulk },
    requests,
    bytes: {
      redis: await redisBytes(servers.redisUrl, bulk),
      postgres: await postgresBytes(servers.databaseUrl, bulk),
      memcached: await memcachedBytes(memcached, bulk),
      file: await fileBytes(servers.fileDir),
    },
  };
  return { ...measured, example: workedExample(measured) };
}
