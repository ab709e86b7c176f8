import type { Cluster, Redis } from 'ioredis';
import { clusterClient, singleClient } from './clients.js';

/** A Redis deployment the engine tests run against, with a client factory. */
export interface Topology {
  name: string;
  connect(): Redis | Cluster;
}

/**
 * The single server and the Cluster: the scripts run on one key each, and on the Cluster an owner index
 * lives in another slot (usually on another master) than the sessions it lists.
 */
export const TOPOLOGIES: readonly Topology[] = [
  { name: 'a single server', connect: () => singleClient() },
  { name: 'a cluster', connect: () => clusterClient() },
];
