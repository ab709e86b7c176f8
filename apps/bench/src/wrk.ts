import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROXY_HEADERS } from './http-client.js';

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  durationUs: number;
  /** Requests per second. */
  rps: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** How to run it. */
export interface WrkOptions {
  url: string;
  path: string;
  connections: number;
  durationSeconds: number;
  /** A file of Cookie header values, one per line (returning visitors). */
  cookiesFile?: string | undefined;
  /** The core wrk is pinned to (taskset), if any. */
  core?: number | undefined;
}

const SCRIPT = fileURLToPath(new URL('../lua/bench.lua', import.meta.url));

/** Throws with the Debian package to install when `wrk` (or `taskset`) is not on the PATH. */
export function requireTools(pinning: boolean): void {
  const missing: string[] = [];
  for (const [tool, pkg] of [['wrk', 'wrk'], ...(pinning ? [['taskset', 'util-linux']] : [])] as const) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      missing.push(`${tool} (Debian package "${pkg}": apt-get install -y ${pkg})`);
    }
  }
  if (missing.length > 0) throw new Error(`bench: missing ${missing.join(', ')}`);
}

/** Runs wrk once (one thread, `connections` connections) and parses the script's JSON line. */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--timeout',
    '5s',
    '-s',
    SCRIPT,
    ...Object.entries(PROXY_HEADERS).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    options.url + options.path,
  ];
  const command = options.core === undefined ? 'wrk' : 'taskset';
  const argv = options.core === undefined ? args : ['-c', String(options.core), 'wrk', ...args];
  const env = { ...process.env, WRK_COOKIES: options.cookiesFile ?? '' };
  return new Promise((resolve, reject) => {
    execFile(
      command,
      argv,
      { env, timeout: (options.durationSeconds + 30) * 1000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`wrk failed: ${error.message}\n${stderr}`));
          return;
        }
        const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
        if (!line) {
          reject(new Error(`wrk printed no result:\n${stdout}\n${stderr}`));
          return;
        }
        const parsed = JSON.parse(line.slice('WRK_JSON '.length)) as Omit<WrkResult, 'rps'>;
        resolve({ ...parsed, rps: parsed.requests / (parsed.durationUs / 1e6) });
      },
    );
  });
}
