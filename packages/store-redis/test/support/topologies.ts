import { redisUrl } from '@sess/test-harness';
import type { Cluster, Redis } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { clusterClient, singleClient } from './clients.js';

/** A Redis deployment the engine tests run against, with a client factory. */
export interface Topology {
  name: string;
  connect(): Redis | Cluster;
}

/**
 * The single server and the Cluster: the scripts run on one key each, and on the Cluster an owner index
 * lives in another slot (usually on another master) than the sessions it lists. The single server is run
 * once more through ioredis 6, which speaks RESP3 (script replies differ: a missing field is `false`).
 */
export const TOPOLOGIES: readonly Topology[] = [
  { name: 'a single server', connect: () => singleClient() },
  { name: 'a cluster', connect: () => clusterClient() },
  {
    name: 'a single server through ioredis 6',
    // Typed as ioredis 5 for the tests' raw reads: both majors have the commands they call.
    connect: () => new Redis6(redisUrl(), { maxRetriesPerRequest: 1 }) as unknown as Redis,
  },
];
