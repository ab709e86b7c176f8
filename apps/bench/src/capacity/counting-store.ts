import type { OwnerIndex, SessionStore } from '@sess/core/store';

/** The calls the manager made to a store, in order (`load`, `create`, `update`, `touch`, `destroy`…). */
export interface StoreCallLog {
  /** The calls since the previous `take()`. */
  take(): string[];
}

/**
 * Wraps `store` so every call core makes to it is logged: the store round trips of a request as the
 * manager sees them (a store may need more than one server command for one call). The name, the
 * capabilities and `close` pass through unchanged.
 */
export function countingStore(store: SessionStore): { store: SessionStore; calls: StoreCallLog } {
  const log: string[] = [];
  const logged =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      log.push(name);
      return fn(...args);
    };
  const wrapped: SessionStore = {
    name: store.name,
    capabilities: store.capabilities,
    load: logged('load', (id) => store.load(id)),
    create: logged('create', (id, record) => store.create(id, record)),
    update: logged('update', (id, update) => store.update(id, update)),
    touch: logged('touch', (id, change) => store.touch(id, change)),
    destroy: logged('destroy', (id) => store.destroy(id)),
    clearExpired: logged('clearExpired', () => store.clearExpired()),
  };
  const owners = store.owners;
  if (owners) {
    const index: OwnerIndex = {
      list: logged('owners.list', (owner) => owners.list(owner)),
      destroyAll: logged('owners.destroyAll', (owner, exceptId) => owners.destroyAll(owner, exceptId)),
    };
    Object.assign(wrapped, { owners: index });
  }
  if (store.close) Object.assign(wrapped, { close: () => store.close?.() });
  return { store: wrapped, calls: { take: () => log.splice(0) } };
}
