import type { SessionData, SessionDelta } from './store.js';

/**
 * Knows which top-level keys a request changed, including objects mutated in place
 * (`session.get('car').wheels = 'alloy'`): an object value handed out to the handler is snapshotted
 * as JSON the first time, and compared at commit. Primitive values cannot change behind our back,
 * so reading a counter costs nothing.
 */
export class ChangeTracker {
  // Created on first use: most requests write one key and snapshot nothing.
  #written: Set<string> | undefined;
  #removed: Set<string> | undefined;
  #snapshots: Map<string, string> | undefined;
  #replaced = false;

  /** The value of `key` is about to be handed out: remember how it looked. */
  handOut(key: string, value: unknown): void {
    if (value === null || typeof value !== 'object') return;
    if (this.#written?.has(key) || this.#snapshots?.has(key)) return;
    this.#snapshots ??= new Map();
    this.#snapshots.set(key, JSON.stringify(value));
  }

  written(key: string): void {
    this.#written ??= new Set();
    this.#written.add(key);
  }

  removed(key: string): void {
    this.#written?.delete(key);
    this.#removed ??= new Set();
    this.#removed.add(key);
  }

  /** Everything was replaced (`clear()`): the store must write the record whole. */
  replacedAll(): void {
    this.#replaced = true;
  }

  get replaced(): boolean {
    return this.#replaced;
  }

  /** Forget what was recorded: the current data is the new baseline (after a save). */
  reset(): void {
    this.#written?.clear();
    this.#removed?.clear();
    this.#snapshots?.clear();
    this.#replaced = false;
  }

  /** The per-key changes against `data`, or null when nothing changed. */
  delta(data: SessionData): SessionDelta | null {
    const set: SessionData = Object.create(null);
    let count = 0;
    const written = this.#written;
    if (written) {
      for (const key of written) {
        if (key in data) {
          set[key] = data[key];
          count++;
        }
      }
    }
    if (this.#snapshots) {
      for (const [key, before] of this.#snapshots) {
        if (written?.has(key) || !(key in data)) continue;
        if (JSON.stringify(data[key]) !== before) {
          set[key] = data[key];
          count++;
        }
      }
    }
    const unset: string[] = [];
    if (this.#removed) for (const key of this.#removed) if (!(key in data)) unset.push(key);
    return count === 0 && unset.length === 0 ? null : { set, unset };
  }
}
