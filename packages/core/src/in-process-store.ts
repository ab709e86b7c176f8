import type { SessionStore } from './store/contract.js';

type Methods = ReadonlyArray<readonly [object, string, unknown]>;

/** Core's own in-process stores (the memory store), with the methods they were made with. */
const inProcess = new WeakMap<SessionStore, Methods>();

/** The function-valued properties of `holder`, as they are now. */
function methodsOf(holder: object): [object, string, unknown][] {
  return Object.entries(holder)
    .filter(([, value]) => typeof value === 'function')
    .map(([name, value]) => [holder, name, value]);
}

/** Declares that every operation of `store`, as made, does its work before returning its promise. */
export function markInProcess(store: SessionStore): void {
  const owners = store.owners ? methodsOf(store.owners) : [];
  inProcess.set(store, [...methodsOf(store), [store, 'owners', store.owners], ...owners]);
}

/**
 * Whether `store` is one of core's in-process stores with its methods as made: a deadline could never pass
 * before such a call settles, so the backend skips the timer queue for it. A store whose method was
 * replaced (a test making it hang, say), or a wrapped or copied one, is timed as any other.
 */
export function isInProcess(store: SessionStore): boolean {
  const methods = inProcess.get(store);
  if (methods === undefined) return false;
  for (const [holder, name, value] of methods) {
    if ((holder as Record<string, unknown>)[name] !== value) return false;
  }
  return true;
}
