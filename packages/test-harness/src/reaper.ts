import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Last line of defence against orphans: a small detached node process that reads our wishes from its stdin
 * (`+g <pgid>`, `-g <pgid>`, `+d <dir>`, `-d <dir>`). When its stdin closes (this process exited, by any
 * means, even SIGKILL), it kills the process groups still registered and removes the directories.
 */
const REAPER_SCRIPT = `
process.title = 'sess-harness-reaper';
const fs = require('node:fs');
const groups = new Set();
const dirs = new Set();
let buffer = '';
for (const s of ['SIGINT', 'SIGHUP', 'SIGTERM']) process.on(s, () => {});
const alive = (g) => { try { process.kill(-g, 0); return true; } catch { return false; } };
process.stdin.setEncoding('utf8');
process.stdin.on('data', (data) => {
  buffer += data;
  let i;
  while ((i = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 1);
    const op = line.slice(0, 2);
    const arg = line.slice(3);
    if (op === '+g') groups.add(Number(arg));
    else if (op === '-g') groups.delete(Number(arg));
    else if (op === '+d') dirs.add(arg);
    else if (op === '-d') dirs.delete(arg);
  }
});
const finish = () => {
  for (const d of dirs) { try { fs.rmSync(d, { recursive: true, force: true, maxRetries: 5 }); } catch {} }
  process.exit(0);
};
const cleanup = () => {
  for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch {} }
  const start = Date.now();
  const timer = setInterval(() => {
    if ([...groups].every((g) => !alive(g)) || Date.now() - start > 5000) { clearInterval(timer); finish(); }
  }, 20);
};
process.stdin.on('end', cleanup);
process.stdin.on('error', cleanup);
`;

let reaper: ChildProcess | undefined;
const groups = new Set<number>();

function send(line: string): void {
  if (!reaper) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    reaper = spawn(process.execPath, ['-e', REAPER_SCRIPT], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env,
    });
    reaper.unref();
    reaper.stdin?.on('error', () => {});
    // biome-ignore lint/suspicious/noExplicitAny: the pipe is a net.Socket, which can be unref'd
    (reaper.stdin as any)?.unref?.();
    // Normal exit (also vitest's own SIGINT/SIGTERM handling, which ends in process.exit): kill at once.
    process.once('exit', () => {
      for (const group of groups) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {}
      }
    });
  }
  reaper.stdin?.write(`${line}\n`);
}

/** Registers a process group (a detached child's pid) to kill if this process dies. */
export function trackGroup(pgid: number): void {
  groups.add(pgid);
  send(`+g ${pgid}`);
}

export function untrackGroup(pgid: number): void {
  if (groups.delete(pgid)) send(`-g ${pgid}`);
}

/** Registers a directory to remove if this process dies. */
export function trackDir(dir: string): void {
  send(`+d ${dir}`);
}

export function untrackDir(dir: string): void {
  send(`-d ${dir}`);
}
