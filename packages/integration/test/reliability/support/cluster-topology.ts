import { type HostPort, parseInfo, redisCommand } from '@sess/test-harness/servers';

/** One line of `CLUSTER NODES`. */
export interface ClusterNode {
  id: string;
  host: string;
  port: number;
  master: boolean;
  failed: boolean;
  /** The id of its master, for a replica. */
  masterId: string | null;
  /** Slot ranges served, inclusive, for a master. */
  slots: [number, number][];
}

/** The cluster as `via` sees it. */
export async function clusterNodes(via: HostPort): Promise<ClusterNode[]> {
  const text = String(await redisCommand(via, ['CLUSTER', 'NODES'], 2_000));
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '-', , , , , ...slots] = line.trim().split(' ');
      const [hostPort = ''] = address.split('@');
      const colon = hostPort.lastIndexOf(':');
      const flagList = flags.split(',');
      return {
        id,
        host: hostPort.slice(0, colon),
        port: Number(hostPort.slice(colon + 1)),
        master: flagList.includes('master'),
        failed: flagList.includes('fail') || flagList.includes('fail?'),
        masterId: masterId === '-' ? null : masterId,
        slots: slots
          .filter((range) => !range.startsWith('['))
          .map((range) => {
            const [from, to = from] = range.split('-');
            return [Number(from), Number(to)] as [number, number];
          }),
      };
    });
}

/** The slot of `key`. */
export async function keySlot(via: HostPort, key: string): Promise<number> {
  return Number(await redisCommand(via, ['CLUSTER', 'KEYSLOT', key], 2_000));
}

/**
 * The master serving `slot`, and its replica. Waits (at most `timeoutMs`) until `via` knows both: right
 * after the cluster is created, the replicas' roles are still spreading by gossip.
 */
export async function ownerOf(
  via: HostPort,
  slot: number,
  timeoutMs = 15_000,
): Promise<{ master: ClusterNode; replica: ClusterNode }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await clusterNodes(via);
    const master = nodes.find(
      (node) => node.master && node.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    const replica = nodes.find((node) => node.masterId === master?.id && !node.failed);
    if (master && replica) return { master, replica };
    if (Date.now() > deadline) {
      throw new Error(`no master with a replica serves slot ${slot}:\n${JSON.stringify(nodes)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until `replica` has processed everything `master` had in its replication stream when called: the
 * writes acknowledged before this call survive a failover to that replica.
 */
export async function replicaCaughtUp(
  master: HostPort,
  replica: HostPort,
  timeoutMs = 10_000,
): Promise<void> {
  const target = Number(
    parseInfo(await redisCommand(master, ['INFO', 'replication'], 2_000)).master_repl_offset,
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = parseInfo(await redisCommand(replica, ['INFO', 'replication'], 2_000));
    if (Number(info.slave_repl_offset) >= target) return;
    if (Date.now() > deadline)
      throw new Error(`replica stuck at ${info.slave_repl_offset}, master at ${target}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
