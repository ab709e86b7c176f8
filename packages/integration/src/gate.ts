import type { SessionStore } from '@sess/core/store';

/** Store operations a gate can hold. */
export type GatedOperation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** One held call: it has reached the store (`reached` resolves with its key) and waits for `release()`. */
export interface Gate {
  /** Resolves with the session key once the held call arrived (it has not touched storage yet). */
  reached: Promise<string>;
  /** Lets the held call through to the real store. */
  release(): void;
}

/** A store whose next call of one operation can be held, and the switch that arms it. */
export interface GatedStore {
  /** Delegates every call to the real store, except a held one, which waits at the gate first. */
  store: SessionStore;
  /** Holds the next call of `operation` (only that one) until the gate is released. */
  holdNext(operation: GatedOperation): Gate;
}

/**
 * The race hook of the concurrency tests: wraps a real store so that one request, having loaded its
 * session and decided to write, stops right before its `update` reaches storage, while the test lets a
 * competing request (a write, a flush, a cycleKey) run to completion. Then the held write goes through,
 * so the interleaving "A loads, B commits, A commits" happens every time, not by luck.
 */
export function gateStore(inner: SessionStore): GatedStore {
  const armed = new Map<string, { arrive(key: string): void; opened: Promise<void> }>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        const gate = armed.get(property);
        if (gate) {
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
    holdNext(operation) {
      let arrive!: (key: string) => void;
      let release!: () => void;
      const reached = new Promise<string>((resolve) => {
        arrive = resolve;
      });
      const opened = new Promise<void>((resolve) => {
        release = resolve;
      });
      armed.set(operation, { arrive, opened });
      return { reached, release };
    },
  };
}
