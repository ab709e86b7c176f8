/** Counts the method calls made on an object (a store or a backend). */
export interface CallCounter {
  /** Calls per method name. */
  readonly calls: Map<string, number>;
  /** Calls of one method. */
  count(method: string): number;
  /** All calls. */
  total(): number;
  /** Forgets the calls so far. */
  reset(): void;
}

/** A counter with no calls yet. */
export function createCallCounter(): CallCounter {
  const calls = new Map<string, number>();
  return {
    calls,
    count: (method) => calls.get(method) ?? 0,
    total: () => [...calls.values()].reduce((sum, n) => sum + n, 0),
    reset: () => calls.clear(),
  };
}

/**
 * Wraps `target` so every method call is counted (into `counter`, a new one by default), then delegated
 * unchanged. `I/O` here means any call of the storage: the suite asserts exact counts where they matter (a
 * route that never asks does none).
 */
export function countCalls<T extends object>(
  target: T,
  counter: CallCounter = createCallCounter(),
): { wrapped: T; counter: CallCounter } {
  const calls = counter.calls;
  const wrapped = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { wrapped, counter };
}
