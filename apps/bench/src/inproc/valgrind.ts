import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SelfCost, selfCostOf } from './attribution.js';
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
 * collection; no instrumentation until the child is warm (valgrind alone runs node ~5× slower, callgrind
 * ~50×): `callgrind_control -i on` switches it on while the child waits. The counts after it agree with a
 * child instrumented from the start.
 */
const CALLGRIND = [
  '--tool=callgrind',
  '--instr-atstart=no',
  '--dump-before=uv_fs_fdatasync',
  `--dump-after=${MAJOR_GC}`,
];

/**
 * Node's flags in the children. `--single-threaded` (V8: no background compiler, marking, sweeping or
 * scavenging threads; the same work on the main thread): valgrind runs one thread at a time, and V8's
 * threads that wait for each other by spinning then burn instructions in proportion to how valgrind happens
 * to schedule them: with them, one child's segments of bare Koa ranged from 74,000 to 102,000 Ir per request;
 * on one thread, 37,600 ± 0.1 %.
 * `NODE_ENV=production` as in the socket bench.
 */
export const NODE_FLAGS = ['--single-threaded'];

/**
 * With `--attribute`, also: V8 writes each code object it creates to `/tmp/perf-<pid>.map`, which names the JIT
 * code callgrind knows only by address (the flag also turns off code-space compaction, so code stays where
 * the map says). The V8 log the flag opens goes to a temporary file rather than `isolate-*.log` in the cwd.
 */
export const PERF_MAP_FLAGS = ['--perf-basic-prof', '--no-logfile-per-isolate', '--logfile=+'];

/** What one child reported, and the profiles of its counted part, in order. */
export interface ChildRun {
  windows: Window[];
  /** The child's check of its last answer (and of its request count). */
  check: { ok: boolean; body: string; expected: string };
  /** With `attribute`: self cost per function over the counted profiles, JIT code named by the perf map. */
  selfCost?: SelfCost;
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
 * reads the profiles of the counted part. Keeps the profiles only when `keep`. With `attribute`, node also
 * writes a perf map, and the counted profiles' self costs are read before they go (the map goes too, or
 * beside the profiles as `<label>.<pid>.perf.map` when `keep`).
 */
export function callgrindChild(
  argv: string[],
  options: { dir: string; label: string; keep: boolean; attribute: boolean },
): Promise<ChildRun> {
  const { dir, label, keep, attribute } = options;
  const flags = attribute ? [...NODE_FLAGS, ...PERF_MAP_FLAGS] : NODE_FLAGS;
  const go = join(dir, `${label}.go`);
  const out = `--callgrind-out-file=${join(dir, label)}.%p`;
  const args = [...CALLGRIND, out, process.execPath, ...flags, ...argv, '--go', go];
  return new Promise((resolve, reject) => {
    const child = spawn(VALGRIND, args, {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (!/^ready$/m.test(stdout)) return;
      stdout = stdout.replace(/^ready$/m, '');
      promisify(execFile)(CALLGRIND_CONTROL, ['-i', 'on', String(child.pid)]).then(
        () => writeFileSync(go, ''),
        (error: Error) => {
          failure = error;
          child.kill();
        },
      );
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const prefix = `${label}.${child.pid}`;
      const files = readdirSync(dir).filter((name) => name.startsWith(prefix) || name === `${label}.go`);
      const perfMap = `/tmp/perf-${child.pid}.map`;
      try {
        if (failure) throw failure;
        const line = stdout.trim().split('\n').at(-1) ?? '';
        if (code !== 0 || !line.startsWith('{')) throw new Error(`exit code ${code}`);
        const profiles = profilesOf(dir, prefix);
        const windows = countedWindows(dir, profiles);
        const counted = profiles.slice(profiles.length - windows.length).map((name) => join(dir, name));
        const selfCost = attribute ? { selfCost: selfCostOf(counted, perfMap) } : {};
        resolve({ windows, check: JSON.parse(line), ...selfCost });
      } catch (error) {
        reject(
          new Error(
            `inproc: ${label} failed under callgrind (${(error as Error).message}):\n${stderr.slice(-3000)}`,
          ),
        );
      } finally {
        if (!keep) for (const name of files) rmSync(join(dir, name), { force: true });
        if (attribute && keep && existsSync(perfMap)) copyFileSync(perfMap, join(dir, `${prefix}.perf.map`));
        if (attribute) rmSync(perfMap, { force: true });
      }
    });
  });
}
