import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaSql } from '@sess/store-db';
import {
  parsePostgresUrl,
  pgQuery,
  redisCommand,
  type Server,
  startMemcached,
  startPostgres,
  startRedis,
} from '@sess/test-harness/servers';
import type { Backing, BackingKind } from './contenders/types.js';
import { settleDisk } from './settle-disk.js';

/** The backing servers of one run. */
export interface BackingServers {
  /** Where they are; `fileDir` changes at each `reset()`. */
  readonly backing: Backing;
  /** Empties every store (and gives the file store a fresh directory), between contenders. */
  reset(): Promise<Backing>;
  close(): Promise<void>;
}

const UNUSED = 'unused://';

/** Pins `pid` and its current children (PostgreSQL's helpers) to `core`; later children inherit it. */
export function pin(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  let children: string[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    // pgrep exits 1 when there are none.
  }
  for (const child of children) pin(Number(child), core);
}

function memcachedFlush(server: string): Promise<void> {
  const colon = server.lastIndexOf(':');
  const socket = connect({ host: server.slice(0, colon), port: Number(server.slice(colon + 1)) });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      if (chunk.toString().includes('OK')) {
        socket.end();
        resolve();
      }
    });
    socket.write('flush_all\r\n');
  });
}

/** connect-pg-simple's own table.sql, as its README says to apply it. */
function pgSimpleTableSql(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(require.resolve('connect-pg-simple'), '..', 'table.sql'), 'utf8');
}

/**
 * Starts the servers `kinds` asks for with the test harness (free loopback ports, temp dirs, no setup
 * needed), pinned to `core` when given, and creates the session tables of both PostgreSQL contenders.
 */
export async function startBacking(kinds: ReadonlySet<BackingKind>, core?: number): Promise<BackingServers> {
  const servers: Server[] = [];
  try {
    const [redis, postgres, memcached] = await Promise.all([
      kinds.has('redis') ? startRedis() : undefined,
      kinds.has('postgres') ? startPostgres({ database: 'sess_bench' }) : undefined,
      kinds.has('memcached') ? startMemcached() : undefined,
    ]);
    for (const server of [redis, postgres, memcached]) if (server) servers.push(server);
    if (core !== undefined) for (const server of servers) if (server.pid) pin(server.pid, core);
    if (postgres) {
      await pgQuery(parsePostgresUrl(postgres.url), [schemaSql(), pgSimpleTableSql()]);
    }
    let fileDir = await mkdtemp(join(tmpdir(), 'sess-bench-files-'));
    const backing: Backing = {
      redisUrl: redis?.url ?? UNUSED,
      databaseUrl: postgres?.url ?? UNUSED,
      memcachedServers: memcached ? [memcached.address] : [],
      fileDir,
    };
    return {
      backing,
      async reset() {
        if (redis) await redisCommand(redis, ['FLUSHALL']);
        if (postgres) await pgQuery(parsePostgresUrl(postgres.url), 'TRUNCATE "sess_session", "session"');
        if (memcached) await memcachedFlush(memcached.address);
        const churned = (await readdir(fileDir)).length > 0;
        await rm(fileDir, { recursive: true, force: true });
        fileDir = await mkdtemp(join(tmpdir(), 'sess-bench-files-'));
        backing.fileDir = fileDir;
        // A file contender ran before: the next one must not pay for its writes and their removal.
        if (churned) await settleDisk();
        return backing;
      },
      async close() {
        await rm(fileDir, { recursive: true, force: true });
        await Promise.all(servers.map((server) => server.close()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
}
