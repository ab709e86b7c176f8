import type { HostPort } from './address.js';
import { binary } from './binaries.js';
import { netRequest } from './net-request.js';
import { LOOPBACK } from './ports.js';
import { Server, startOnPort } from './server.js';
import { isRoot, lookupUser } from './users.js';

export interface StartMemcachedOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** More `memcached` arguments, e.g. `['-m', '16']`. */
  args?: readonly string[];
}

/** Sends `version`; resolves e.g. `1.6.18`. */
export async function memcachedVersion(target: HostPort, timeoutMs?: number): Promise<string> {
  const line = await netRequest(
    target,
    'version\r\n',
    (buf) => {
      const end = buf.indexOf('\r\n');
      return end < 0 ? undefined : buf.toString('utf8', 0, end);
    },
    timeoutMs,
  );
  if (!line.startsWith('VERSION ')) throw new Error(`memcached answered ${JSON.stringify(line)}`);
  return line.slice('VERSION '.length);
}

/** Sends `stats`; resolves its fields (`pid`, `curr_items`, …). */
export async function memcachedStats(target: HostPort, timeoutMs?: number): Promise<Record<string, string>> {
  const text = await netRequest(
    target,
    'stats\r\n',
    (buf) => (buf.includes('END\r\n') || buf.includes('ERROR') ? buf.toString('utf8') : undefined),
    timeoutMs,
  );
  const stats: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const [tag, name, ...value] = line.split(' ');
    if (tag === 'STAT' && name) stats[name] = value.join(' ');
  }
  return stats;
}

/** `memcached -l 127.0.0.1 -p PORT -U 0` (as `memcache` when root). `url` is `127.0.0.1:PORT`. */
export function startMemcached(options: StartMemcachedOptions = {}): Promise<Server> {
  const command = binary('memcached', 'memcached');
  const runAs = isRoot() ? (lookupUser('memcache') ?? lookupUser('nobody'))?.name : undefined;
  return startOnPort(options.port, (port) => {
    const target = { host: LOOPBACK, port };
    return new Server({
      kind: 'memcached',
      host: LOOPBACK,
      port,
      url: `${LOOPBACK}:${port}`,
      command,
      args: [
        '-l',
        LOOPBACK,
        '-p',
        String(port),
        '-U',
        '0',
        ...(runAs ? ['-u', runAs] : []),
        ...(options.args ?? []),
      ],
      // It keeps nothing, and takes 0.7 s to obey SIGTERM: stopping is killing.
      stopSignal: 'SIGKILL',
      probe: async (pid) => {
        const { pid: answered } = await memcachedStats(target, 1_000);
        if (Number(answered) !== pid) throw new Error(`port answered by process ${answered}, not ${pid}`);
      },
    });
  });
}
