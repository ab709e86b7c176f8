import type { HostPort } from './address.js';
import { binary } from './binaries.js';
import { runCommand } from './process.js';
import { redisServer } from './redis.js';
import { parseInfo, redisCommand } from './resp.js';
import { closeAll, type Server, startOnPort } from './server.js';
import { waitFor } from './wait.js';

export interface RedisCluster {
  /** All nodes; the first `masters` were created as masters (roles change after failovers). */
  nodes: Server[];
  /** The nodes' addresses, for clients. */
  addresses: HostPort[];
  close(): Promise<void>;
}

export interface StartRedisClusterOptions {
  /** Default 3. */
  masters?: number;
  /** Replicas per master, default 1. */
  replicas?: number;
  /** `cluster-node-timeout`, default 2000. */
  nodeTimeoutMs?: number;
}

/**
 * `masters × (1 + replicas)` `redis-server --cluster-enabled yes` nodes (each port + 10000 free for the
 * bus), joined by `redis-cli --cluster create`; resolves when every node says `cluster_state:ok`.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const { masters = 3, replicas = 1, nodeTimeoutMs = 2000 } = options;
  const cli = binary('cluster', 'redis-cli');
  const count = masters * (1 + replicas);
  const settled = await Promise.allSettled(
    Array.from({ length: count }, () =>
      startOnPort(
        undefined,
        (port) =>
          redisServer(port, {
            clusterBus: true,
            kind: 'redis-cluster',
            // redis-server chdirs into its --dir: the config file lands in the node's temp dir.
            // biome-ignore format: one option per line
            args: [
              '--cluster-enabled', 'yes',
              '--cluster-config-file', `nodes-${port}.conf`,
              '--cluster-node-timeout', String(nodeTimeoutMs),
            ],
          }),
        { clusterBus: true },
      ),
    ),
  );
  const nodes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await runCommand(cli, [
      '--cluster',
      'create',
      ...nodes.map((node) => node.address),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await Promise.all(
      nodes.map((node) =>
        waitFor(`redis cluster node ${node.address}`, async () => {
          const info = parseInfo(await redisCommand(node, ['CLUSTER', 'INFO']));
          if (info.cluster_state !== 'ok' || Number(info.cluster_known_nodes) !== count) {
            throw new Error(
              `cluster_state:${info.cluster_state} cluster_known_nodes:${info.cluster_known_nodes}`,
            );
          }
        }),
      ),
    );
    return {
      nodes,
      addresses: nodes.map(({ host, port }) => ({ host, port })),
      close: () => closeAll(nodes),
    };
  } catch (error) {
    await closeAll(nodes).catch(() => {});
    throw error;
  }
}
