import { memcachedStats } from '@sess/test-harness/servers';

/** Memcached's own command counters, summed over the servers. */
export interface MemcachedCounts {
  /** `get` and `gets` (one key each here). */
  get: number;
  /** `cas`. */
  cas: number;
  /** `set`, `add`, `replace` (and `append`, `prepend`). */
  set: number;
  touch: number;
  delete: number;
}

const ZERO: MemcachedCounts = { get: 0, cas: 0, set: 0, touch: 0, delete: 0 };

function target(server: string): { host: string; port: number } {
  const colon = server.lastIndexOf(':');
  return { host: server.slice(0, colon), port: Number(server.slice(colon + 1)) };
}

/** Reads `stats` on every server and sums the counters the stores move. */
export async function memcachedCounts(servers: readonly string[]): Promise<MemcachedCounts> {
  const totals = { ...ZERO };
  for (const server of servers) {
    const stats = await memcachedStats(target(server));
    const n = (field: string) => Number(stats[field] ?? 0);
    const cas = n('cas_hits') + n('cas_misses') + n('cas_badval');
    totals.get += n('cmd_get');
    totals.cas += cas;
    // cmd_set counts every storage command, cas included.
    totals.set += n('cmd_set') - cas;
    totals.touch += n('cmd_touch');
    totals.delete += n('delete_hits') + n('delete_misses');
  }
  return totals;
}

/** `after - before`, per counter. */
export function memcachedDelta(before: MemcachedCounts, after: MemcachedCounts): MemcachedCounts {
  const delta = { ...ZERO };
  for (const key of Object.keys(ZERO) as (keyof MemcachedCounts)[]) delta[key] = after[key] - before[key];
  return delta;
}
