import type { SessionStore } from './store/contract.js';
import { storeFailure } from './timeout.js';

/** The methods an in-process store was made with, by the operation names the backend gives its calls. */
interface Made {
  readonly owners: object | undefined;
  readonly methods: ReadonlyMap<string, unknown>;
}

/** Core's own in-process stores (the memory store), with the methods they were made with. */
const inProcess = new WeakMap<SessionStore, Made>();

/** Declares that every operation of `store`, as made, does its work before returning its promise. */
export function markInProcess(store: SessionStore): void {
  const methods = new Map<string, unknown>();
  for (const [name, value] of Object.entries(store))
    if (typeof value === 'function') methods.set(name, value);
  const owners = store.owners;
  if (owners) for (const [name, value] of Object.entries(owners)) methods.set(`owners.${name}`, value);
  inProcess.set(store, { owners, methods });
}

/**
 * Whether the call `operation` (`load`, `owners.list`, …) of `store` runs one of core's in-process methods
 * as made: a deadline could never pass before it settles, so the backend skips the timer queue for it. A
 * method replaced since (a test making it hang, say), or a wrapped or copied store, is timed as any other.
 */
export function isInProcess(store: SessionStore, operation: string): boolean {
  const made = inProcess.get(store);
  const method = made?.methods.get(operation);
  if (method === undefined) return false;
  if (!operation.startsWith('owners.'))
    return (store as unknown as Record<string, unknown>)[operation] === method;
  const owners = store.owners;
  return (
    owners === made?.owners && (owners as unknown as Record<string, unknown>)[operation.slice(7)] === method
  );
}

/**
 * Runs one operation of an in-process store (its work is done before it returns, so no deadline can pass
 * first). Such a store reports its own failures as `SessionStoreError`, so its promise is handed back as it
 * is, without a turn more to wait through; only a synchronous throw is turned into one here.
 */
export function runInProcess<T>(store: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(storeFailure(store, operation, error));
  }
}
