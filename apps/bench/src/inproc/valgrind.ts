import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWindow, type Window } from './profile-file.js';

export const VALGRIND = '/usr/bin/valgrind';
const CALLGRIND_CONTROL = '/usr/bin/callgrind_control';

/** `valgrind-3.19.0`, or exits with the package to install. */
export function valgrindVersion(): string {
  if (!existsSync(VALGRIND) || !existsSync(CALLGRIND_CONTROL)) {
    console.error(
      `inproc --callgrind needs ${VALGRIND}: apt-get install -y valgrind (Debian package valgrind)`,
    );
    process.exit(2);
  }
  return execFileSync(VALGRIND, ['--version'], { encoding: 'utf8' }).trim();
}

/** The function `child.ts` calls once per request (through `process.ppid`) and nothing else calls. */
const PER_REQUEST = 'uv_os_getppid';
/** V8's full garbage collection (mark-compact), left once per collection. */
const MAJOR_GC = 'v8::internal::Heap::MarkCompact()';

/**
 * How callgrind runs: instructions only (`Ir`, its default event); a profile written (and the counters
 * zeroed) when the child enters libuv's `uv_fs_fdatasync` (its markers) and when V8 leaves a full garbage
 * collection. With `fastWarmup`, no instrumentation until the child is warm (valgrind alone, ~5× slower
 * than node instead of ~50×): `callgrind_control -i on` switches it on while the child waits.
 */
function callgrindArgs(fastWarmup: boolean): string[] {
  return [
    '--tool=callgrind',
    `--instr-atstart=${fastWarmup ? 'no' : 'yes'}`,
    '--dump-before=uv_fs_fdatasync',
    `--dump-after=${MAJOR_GC}`,
  ];
}

/** What one child reported, and the profiles of its counted part, in order. */
export interface ChildRun {
  windows: Window[];
  /** The child's check of its last answer (and of its request count). */
  check: { ok: boolean; body: string; expected: string };
}

/** The profiles `label.<pid>.<n>` in `dir`, in the order callgrind wrote them. */
function profilesOf(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${prefix}.`) && /^\d+$/.test(name.slice(prefix.length + 1)))
    .sort((a, b) => Number(a.slice(prefix.length + 1)) - Number(b.slice(prefix.length + 1)));
}

/** The windows after the first marker profile (which closes the start-up and warm-up). */
function countedWindows(dir: string, profiles: string[]): Window[] {
  const windows = profiles.map((name) => readWindow(join(dir, name), PER_REQUEST));
  const start = windows.findIndex((window) => !window.afterMajorGc);
  return windows.slice(start + 1);
}

/**
 * Runs `node <argv> --go <file>` under callgrind with its profiles in `dir` named `<label>.<pid>.<n>`, and
 * reads the profiles of the counted part. Keeps the profiles only when `keep`.
 */
export function callgrindChild(
  argv: string[],
  options: { dir: string; label: string; keep: boolean; fastWarmup: boolean; nodeFlags: string[] },
): Promise<ChildRun> {
  const { dir, label, keep, fastWarmup, nodeFlags } = options;
  const go = join(dir, `${label}.go`);
  const args = [
    ...callgrindArgs(fastWarmup),
    `--callgrind-out-file=${join(dir, label)}.%p`,
    process.execPath,
    ...nodeFlags,
    ...argv,
    ...(fastWarmup ? ['--go', go] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(VALGRIND, args, {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let instrumenting: Promise<unknown> = Promise.resolve();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (fastWarmup && /^ready$/m.test(stdout) && !existsSync(go)) {
        instrumenting = promisify(execFile)(CALLGRIND_CONTROL, ['-i', 'on', String(child.pid)]).then(() =>
          writeFileSync(go, ''),
        );
        stdout = stdout.replace(/^ready$/m, '');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', async (code) => {
      const prefix = `${label}.${child.pid}`;
      const files = readdirSync(dir).filter((name) => name.startsWith(prefix) || name === `${label}.go`);
      try {
        await instrumenting;
        const line = stdout.trim().split('\n').at(-1) ?? '';
        if (code !== 0 || !line.startsWith('{')) throw new Error(`exit code ${code}`);
        resolve({ windows: countedWindows(dir, profilesOf(dir, prefix)), check: JSON.parse(line) });
      } catch (error) {
        reject(
          new Error(
            `inproc: ${label} failed under callgrind (${(error as Error).message}):\n${stderr.slice(-3000)}`,
          ),
        );
      } finally {
        if (!keep) for (const name of files) rmSync(join(dir, name), { force: true });
      }
    });
  });
}
