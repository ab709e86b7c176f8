import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Kilobytes of page cache waiting to be written or being written (`Dirty` + `Writeback`), or 0 off Linux. */
function pendingKb(): number {
  let text: string;
  try {
    text = readFileSync('/proc/meminfo', 'utf8');
  } catch {
    return 0;
  }
  let sum = 0;
  for (const name of ['Dirty', 'Writeback'])
    sum += Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return sum;
}

/**
 * Lets the disk settle after a contender that churned files (the file engines and their removal): writes
 * everything out (`sync`, which also commits the file system's journal), waits for the page cache to hold
 * under 1 MB of unwritten data (at most `maxMs`), then `quietMs` more for what the device does after it
 * (discards of the freed blocks on a file system mounted with `discard`). Without it, the next contender
 * ran while the kernel was still writing back and discarding, and was measured up to two times slower.
 */
export async function settleDisk(maxMs = 30_000, quietMs = 2_000): Promise<void> {
  await run('sync').catch(() => {});
  const deadline = Date.now() + maxMs;
  while (pendingKb() > 1024 && Date.now() < deadline) await sleep(200);
  await sleep(quietMs);
}
