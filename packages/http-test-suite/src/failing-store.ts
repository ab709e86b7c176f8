import type { SessionStore } from '@sess/core/store';

/** Store operations the failing double can break. */
export type StoreOperation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** How the double fails: by throwing like a refused connection, or by never answering. */
export type FailureMode = 'throw' | 'hang';

/**
 * A unit double of a store outage: delegates to `store`, except that the listed operations fail (throw
 * like a driver whose connection was refused, or hang so the manager's `storeTimeoutMs` ends them).
 * `failing` can be switched on after a session was saved, to fail the next request only.
 */
export function createFailingStore(
  store: SessionStore,
  operations: readonly StoreOperation[],
  mode: FailureMode = 'throw',
): SessionStore & { failing: boolean } {
  const broken = new Set<string>(operations);
  const double = {
    failing: true,
    get name() {
      return `failing(${store.name})`;
    },
    get capabilities() {
      return store.capabilities;
    },
  } as SessionStore & { failing: boolean };
  for (const operation of ['load', 'create', 'update', 'touch', 'destroy', 'clearExpired'] as const) {
    Object.defineProperty(double, operation, {
      enumerable: true,
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        if (double.failing && broken.has(operation)) {
          if (mode === 'hang') return new Promise(() => {});
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
          );
        }
        return (store[operation] as (...a: unknown[]) => unknown).apply(store, args);
      },
    });
  }
  return double;
}
