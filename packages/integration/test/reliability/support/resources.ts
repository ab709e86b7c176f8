import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's `gc()` without starting the worker with `--expose-gc`: the flag, set at run time, exposes `gc` in
 * contexts created afterwards, and a collection run from one of them collects the whole isolate.
 */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = exposeGc();
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The heap in use after full collections (finalizers and weak callbacks get a turn in between). */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await tick();
  }
  return process.memoryUsage().heapUsed;
}

/** The process's active resources (sockets, servers, timers…), counted by type. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** The resource types of which more are open now than in `baseline`, with both counts. */
export function resourcesAbove(baseline: Record<string, number>): Record<string, [number, number]> {
  const above: Record<string, [number, number]> = {};
  for (const [type, count] of Object.entries(activeResources())) {
    if (count > (baseline[type] ?? 0)) above[type] = [baseline[type] ?? 0, count];
  }
  return above;
}

/** Waits (at most `timeoutMs`) until no resource type is above `baseline`; returns what still is. */
export async function settleResources(
  baseline: Record<string, number>,
  timeoutMs = 5_000,
): Promise<Record<string, [number, number]>> {
  const deadline = Date.now() + timeoutMs;
  let above = resourcesAbove(baseline);
  while (Object.keys(above).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    above = resourcesAbove(baseline);
  }
  return above;
}
