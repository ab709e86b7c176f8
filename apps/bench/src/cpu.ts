import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Busy and total jiffies per CPU (`cpu0`, `cpu1`…), from /proc/stat. */
export type CpuTimes = Record<string, { busy: number; total: number }>;

/** Reads /proc/stat. */
export function cpuTimes(): CpuTimes {
  const times: CpuTimes = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^(cpu\d+)\s+(.*)$/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2]
      .split(/\s+/)
      .map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    times[match[1]] = { busy: total - idle - iowait, total };
  }
  return times;
}

/** Busy share (0–1) of each CPU between two readings. */
export function cpuBusy(before: CpuTimes, after: CpuTimes): Record<string, number> {
  const busy: Record<string, number> = {};
  for (const [cpu, end] of Object.entries(after)) {
    const start = before[cpu];
    if (!start) continue;
    const total = end.total - start.total;
    busy[cpu] = total > 0 ? (end.busy - start.busy) / total : 0;
  }
  return busy;
}

let ticksPerSecond: number | undefined;

/** CPU seconds (user + system) process `pid` has used so far. */
export function processCpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime field 14, stime field 15 (1-based, man proc).
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The CPU model, as the kernel names it. */
export function cpuModel(): string {
  const line = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('model name'));
  return line?.split(':')[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}
