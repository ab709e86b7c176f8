import type { MemoryStore } from '../../src/index.js';
import type { SessionStore } from '../../src/store/index.js';

/** A store operation a gate can hold. */
export type GatedOperation = 'load' | 'create' | 'update' | 'touch' | 'destroy';

/** A promise the test resolves to let a held operation go on. */
export interface Gate {
  /** Resolves once the operation arrived at the gate (it has not run yet). */
  readonly arrived: Promise<void>;
  /** Lets it run. */
  open(): void;
}

/**
 * A MemoryStore whose next call of an operation can be held before it runs, so a test puts another
 * request's writes exactly in between (races provoked deterministically, not left to luck).
 */
export function gatedStore(inner: MemoryStore) {
  const armed = new Map<GatedOperation, { arrived: () => void; wait: Promise<void> }[]>();
  const hold = (operation: GatedOperation): Gate => {
    let arrived!: () => void;
    let open!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const wait = new Promise<void>((resolve) => {
      open = resolve;
    });
    const queue = armed.get(operation) ?? [];
    queue.push({ arrived, wait });
    armed.set(operation, queue);
    return { arrived: arrival, open };
  };
  const gated =
    <A extends unknown[], R>(operation: GatedOperation, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const gate = armed.get(operation)?.shift();
      if (gate) {
        gate.arrived();
        await gate.wait;
      }
      return fn(...args);
    };
  const store: SessionStore = {
    name: 'gated MemoryStore',
    capabilities: inner.capabilities,
    owners: inner.owners,
    load: gated('load', (id) => inner.load(id)),
    create: gated('create', (id, record) => inner.create(id, record)),
    update: gated('update', (id, update) => inner.update(id, update)),
    touch: gated('touch', (id, change) => inner.touch(id, change)),
    destroy: gated('destroy', (id) => inner.destroy(id)),
    clearExpired: () => inner.clearExpired(),
  };
  return { store, hold };
}
