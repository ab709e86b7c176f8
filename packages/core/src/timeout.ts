import { isSessionError, SessionStoreError, SessionStoreTimeout } from './errors.js';

/** `error` of `store`'s `operation` as a `SessionStoreError` (kept as it is when it is a `SessionError`). */
export function storeFailure(store: string, operation: string, error: unknown): unknown {
  if (isSessionError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new SessionStoreError(`[${store}] ${operation} failed: ${reason}`, { operation, cause: error });
}

interface Pending {
  readonly deadline: number;
  readonly operation: string;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  next: Pending | null;
}

/**
 * Runs a store's operations with a deadline each, and turns driver failures into `SessionStoreError`
 * (keeping the driver's error as `cause`), so adapters can answer before headers are sent.
 *
 * Every operation of one store has the same timeout, so deadlines come in the order the calls were made:
 * they wait in one queue, watched by one timer, instead of a timer set and cleared per call (two per
 * request on the hot path). The timer is unref'd: it never keeps the process alive by itself.
 */
export class StoreCalls {
  readonly #store: string;
  readonly #timeoutMs: number;
  #head: Pending | null = null;
  #tail: Pending | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(store: string, timeoutMs: number) {
    this.#store = store;
    this.#timeoutMs = timeoutMs;
  }

  /** Runs `call` as `operation`, rejecting with `SessionStoreTimeout` past the deadline. */
  run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      return Promise.reject(storeFailure(this.#store, operation, error));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        deadline: Date.now() + this.#timeoutMs,
        operation,
        reject,
        settled: false,
        next: null,
      };
      if (this.#tail) this.#tail.next = entry;
      else this.#head = entry;
      this.#tail = entry;
      this.#timer ??= this.#arm(this.#timeoutMs);
      pending.then(
        (value) => {
          this.#settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#settle(entry);
          reject(storeFailure(this.#store, operation, error));
        },
      );
    });
  }

  /** Marks `entry` done, and drops the done calls at the head: the queue holds only calls still waiting. */
  #settle(entry: Pending): void {
    entry.settled = true;
    let head = this.#head;
    while (head?.settled) head = head.next;
    this.#head = head;
    if (!head) this.#tail = null;
  }

  #arm(delay: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#expire(), delay);
    // Not every runtime's timers have unref (workerd's do not).
    timer.unref?.();
    return timer;
  }

  /** Rejects every call whose deadline has passed, and watches the next one still pending. */
  #expire(): void {
    this.#timer = null;
    const now = Date.now();
    let entry = this.#head;
    while (entry && (entry.settled || entry.deadline <= now)) {
      if (!entry.settled) {
        entry.settled = true;
        entry.reject(new SessionStoreTimeout(this.#store, entry.operation, this.#timeoutMs));
      }
      entry = entry.next;
    }
    this.#head = entry;
    if (!entry) {
      this.#tail = null;
      return;
    }
    this.#timer = this.#arm(Math.max(1, entry.deadline - now));
  }
}
