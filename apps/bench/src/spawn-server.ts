import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Backing, ContenderSpec } from './contenders/types.js';

/** A contender's server running in its own process. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** How to start it. */
export interface SpawnOptions {
  /** The core to pin the server to (taskset). */
  core?: number | undefined;
  /** Write a V8 CPU profile into this directory when the server stops (`--cpu-prof`). */
  profileDir?: string | undefined;
}

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/** Starts `spec` in a child process (`NODE_ENV=production`) and waits until it listens. */
export function spawnServer(
  spec: ContenderSpec,
  backing: Backing,
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const payload = JSON.stringify({
    module: spec.module,
    options: { ...backing, port: 0, variant: spec.variant },
  });
  const nodeArgs = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
    '--import',
    'tsx',
    CHILD,
    payload,
  ];
  const [command, args] =
    options.core === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(options.core), process.execPath, ...nodeArgs]];
  const child = spawn(command, args, {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench: ${spec.id} did not start within 30 s\n${stderr}`));
    }, 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${spec.id} exited (${code ?? signal}) before listening\n${stderr}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /READY (\S+)/.exec(stdout);
      if (!match?.[1] || child.pid === undefined) return;
      clearTimeout(timer);
      const pid = child.pid;
      resolve({
        url: match[1],
        pid,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(kill);
          }
        },
      });
    });
  });
}
