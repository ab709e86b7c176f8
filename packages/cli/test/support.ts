import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sess/test-harness';
import pg from 'pg';
import { afterAll } from 'vitest';
import { run } from '../src/index.js';

/** What one run of the CLI printed, and its exit status. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How a test runs the CLI: a terminal or not, and the environment it sees (empty unless given). */
export interface RunOptions {
  isTTY?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Runs the CLI in-process through the programmatic `run()`, capturing what it writes. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
      },
      ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
      ...(options.columns === undefined ? {} : { columns: options.columns }),
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
      },
    },
    env: options.env ?? {},
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout, stderr };
}

/** A name no other test uses. */
export const unique = (prefix: string): string => `${prefix}${randomBytes(5).toString('hex')}`;

/** A secret of the length core asks for handles. */
export const handleSecret = (): string => randomBytes(32).toString('base64url');

/** A fresh database for this test file, and a pool on it; both go away after the file. */
export async function openTestDb(prefix: string): Promise<{ database: TestDatabase; pool: pg.Pool }> {
  const database = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => {});
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  return { database, pool };
}

/** How many rows `table` holds, expired or not. */
export async function rowCount(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}"`);
  return rows[0].n as number;
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never says a word: a hung database or cache. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let configDir: Promise<string> | undefined;
afterAll(async () => {
  if (configDir !== undefined) await rm(await configDir, { recursive: true, force: true });
});

/** Writes `text` as a config module in a temp directory removed after the test file; returns its path. */
export async function writeConfig(text: string): Promise<string> {
  configDir ??= mkdtemp(path.join(os.tmpdir(), 'sess-cli-config-'));
  const file = path.join(await configDir, `${unique('sess.config.')}.mjs`);
  await writeFile(file, text);
  return file;
}
