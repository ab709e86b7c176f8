import type { SessionStore } from '@sess/core/store';

/** Calls a store received, by operation. */
export interface StoreCalls {
  load: number;
  create: number;
  update: number;
  touch: number;
  destroy: number;
}

/**
 * Wraps a real store (a spy, not a double: every call goes through) to count its calls, so a test can
 * prove that hostile input caused no write, or no I/O at all.
 */
export function countingStore(inner: SessionStore): {
  store: SessionStore;
  calls: StoreCalls;
  writes(): number;
} {
  const calls: StoreCalls = { load: 0, create: 0, update: 0, touch: 0, destroy: 0 };
  const counted =
    <A extends unknown[], R>(operation: keyof StoreCalls, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls[operation]++;
      return fn(...args);
    };
  const store: SessionStore = {
    name: inner.name,
    capabilities: inner.capabilities,
    load: counted('load', (key) => inner.load(key)),
    create: counted('create', (key, record) => inner.create(key, record)),
    update: counted('update', (key, update) => inner.update(key, update)),
    touch: counted('touch', (key, change) => inner.touch(key, change)),
    destroy: counted('destroy', (key) => inner.destroy(key)),
    clearExpired: () => inner.clearExpired(),
  };
  if (inner.owners) Object.assign(store, { owners: inner.owners });
  return { store, calls, writes: () => calls.create + calls.update + calls.touch + calls.destroy };
}
