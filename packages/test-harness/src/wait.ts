import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Returns a reason to give up at once (e.g. the process exited). */
  abort?: () => string | undefined;
}

/** Calls `probe` until it resolves; throws its last error (or the abort reason) otherwise. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 25, abort } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = abort?.();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${what}: not ready after ${timeoutMs} ms (${detail})`);
    }
    await sleep(intervalMs);
  }
}
