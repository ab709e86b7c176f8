import type { SessionStore } from '@sess/core/store';

/** Store operations a gate can hold. */
export type GatedOperation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** One held call: it has reached the store (`reached` resolves with its record id) and waits for `release()`. */
export interface Gate {
  /** Resolves with the record id once the held call arrived (it has not touched storage yet). */
  reached: Promise<string>;
  /** Lets the held call through to the real store. */
  release(): void;
}

/** One call the gated store passed on (or holds): its operation and record id, in arrival order. */
export interface StoreCall {
  operation: string;
  id: string;
}

/** A store whose next call of one operation can be held, and the switch that arms it. */
export interface GatedStore {
  /** Delegates every call to the real store, except a held one, which waits at the gate first. */
  store: SessionStore;
  /**
   * Holds the next call of `operation` (only that one; with `skip`, the one after `skip` further calls of
   * it) until the gate is released. One gate per operation at a time: arm the next once this one is reached.
   */
  holdNext(operation: GatedOperation, options?: { skip?: number }): Gate;
  /** Every call that reached the store, in arrival order (the ids a race created, to check none survives). */
  calls: StoreCall[];
}

/**
 * The race hook of the concurrency tests: wraps a real store so that one request, having loaded its
 * session and decided to write, stops right before its `update` reaches storage, while the test lets a
 * competing request (a write, a flush, a cycleKey, a logout) run to completion. Then the held write goes
 * through, so the interleaving "A loads, B commits, A commits" happens every time, not by luck.
 */
export function gateStore(inner: SessionStore): GatedStore {
  const armed = new Map<string, { skip: number; arrive(id: string): void; opened: Promise<void> }>();
  const calls: StoreCall[] = [];
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        calls.push({ operation: property, id: String(args[0]) });
        const gate = armed.get(property);
        if (gate && gate.skip > 0) gate.skip--;
        else if (gate) {
          armed.delete(property);
          gate.arrive(String(args[0]));
          await gate.opened;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    calls,
    holdNext(operation, options = {}) {
      if (armed.has(operation)) throw new Error(`a gate on ${operation} is already armed`);
      let arrive!: (id: string) => void;
      let release!: () => void;
      const reached = new Promise<string>((resolve) => {
        arrive = resolve;
      });
      const opened = new Promise<void>((resolve) => {
        release = resolve;
      });
      armed.set(operation, { skip: options.skip ?? 0, arrive, opened });
      return { reached, release };
    },
  };
}
