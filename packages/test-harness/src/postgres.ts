import { join } from 'node:path';
import { binary } from './binaries.js';
import { formatPostgresUrl, type PgTarget, pgQuery, quoteIdent } from './pg-wire.js';
import { LOOPBACK } from './ports.js';
import { runCommand } from './process.js';
import { Server, startOnPort } from './server.js';
import { makeTempDir, removeTempDir } from './tempdir.js';
import { isRoot, lookupUser, type UserIds } from './users.js';

export interface StartPostgresOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** Created after the first start; the server's `url` points at it. Default `sess_test`. */
  database?: string;
}

/** The `postgres` OS user when running as root (PostgreSQL refuses to run as root). */
function serverUser(): UserIds | undefined {
  if (!isRoot()) return undefined;
  const user = lookupUser('postgres');
  if (!user)
    throw new Error(
      'sess test harness: running as root, but there is no "postgres" OS user to run PostgreSQL',
    );
  return user;
}

/**
 * initdb in a temp dir (trust auth, superuser `postgres`) and a `postgres` on loopback with fsync off.
 * The returned server's `url` is `postgres://postgres@127.0.0.1:PORT/<database>`; `stop()`/`start()` keep
 * the data, `close()` removes it.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<Server> {
  const initdb = binary('postgres', 'initdb');
  const postgres = binary('postgres', 'postgres');
  const user = serverUser();
  const database = options.database ?? 'sess_test';
  const dir = await makeTempDir('pg', user);
  const dataDir = join(dir, 'data');
  try {
    await runCommand(
      initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      { cwd: dir, user },
    );
  } catch (error) {
    await removeTempDir(dir);
    throw error;
  }
  const server = await startOnPort(
    options.port,
    (port) => {
      const admin: PgTarget = { host: LOOPBACK, port, user: 'postgres', database: 'postgres' };
      return new Server({
        kind: 'postgres',
        host: LOOPBACK,
        port,
        url: formatPostgresUrl({ ...admin, database }),
        command: postgres,
        // biome-ignore format: one option per line
        args: [
          '-D', dataDir,
          '-p', String(port),
          '-k', dir,
          '-c', `listen_addresses=${LOOPBACK}`,
          '-c', 'fsync=off',
          '-c', 'full_page_writes=off',
          '-c', 'max_connections=300',
        ],
        cwd: dir,
        user,
        dir,
        stopSignal: 'SIGINT',
        probe: async () => {
          // The postmaster is our child (no runuser in between), but its pid is not visible over SQL: the
          // data directory tells that the server answering is ours.
          const [[answered] = []] = await pgQuery(admin, 'SHOW data_directory', 2_000);
          if (answered !== dataDir) throw new Error(`port answered by the server of ${answered}`);
        },
      });
    },
    // Port taken: retry on another port with the same data dir.
    { onRetry: (failed) => failed.stop() },
  );
  try {
    await pgQuery({ host: LOOPBACK, port: server.port, user: 'postgres', database: 'postgres' }, [
      `CREATE DATABASE ${quoteIdent(database)}`,
    ]);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}
