import { execFileSync } from 'node:child_process';
import { binary } from './binaries.js';
import { LOOPBACK } from './ports.js';
import { expectRedisProcess } from './resp.js';
import { Server, startOnPort } from './server.js';
import { makeTempDir } from './tempdir.js';

export interface StartRedisOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** More `redis-server` arguments, e.g. `['--replicaof', '127.0.0.1', '6379']`. */
  args?: readonly string[];
}

let major: number | undefined;

/** The major version of redis-server (`DEBUG` must be enabled explicitly from 7 on). */
function redisMajor(command: string): number {
  major ??= Number(/v=(\d+)/.exec(execFileSync(command, ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  return major;
}

/** A `redis-server` process description on `port` with its own temp dir (not started). */
export async function redisServer(
  port: number,
  options: { args?: readonly string[]; clusterBus?: boolean; kind?: string } = {},
): Promise<Server> {
  const command = binary(options.clusterBus ? 'cluster' : 'redis', 'redis-server');
  const dir = await makeTempDir('redis');
  const target = { host: LOOPBACK, port };
  // biome-ignore format: one option per line
  const args = [
    '--port', String(port),
    '--bind', LOOPBACK,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--dir', dir,
    '--repl-diskless-sync-delay', '0',
    ...(redisMajor(command) >= 7 ? ['--enable-debug-command', 'local'] : []),
    ...(options.args ?? []),
  ];
  return new Server({
    kind: options.kind ?? 'redis',
    host: LOOPBACK,
    port,
    url: `redis://${LOOPBACK}:${port}`,
    command,
    args,
    cwd: dir,
    dir,
    probe: (pid) => expectRedisProcess(target, pid),
  });
}

/**
 * A single `redis-server` on loopback (no persistence, `DEBUG` allowed from loopback for fault tests).
 * `url` is `redis://127.0.0.1:PORT`.
 */
export function startRedis(options: StartRedisOptions = {}): Promise<Server> {
  return startOnPort(options.port, (port) =>
    redisServer(port, { ...(options.args ? { args: options.args } : {}) }),
  );
}
