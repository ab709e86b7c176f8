import type { SessionData, SessionDelta } from './store.js';

/**
 * Knows which top-level keys a request changed, including objects mutated in place
 * (`session.get('car').wheels = 'alloy'`): an object value handed out to the handler is snapshotted
 * as JSON the first time, and compared at commit. Primitive values cannot change behind our back,
 * so reading a counter costs nothing.
 */
export class ChangeTracker {
  readonly #written = new Set<string>();
  readonly #removed = new Set<string>();
  readonly #snapshots = new Map<string, string>();
  #replaced = false;

  /** The value of `key` is about to be handed out: remember how it looked. */
  handOut(key: string, value: unknown): void {
    if (value === null || typeof value !== 'object') return;
    if (this.#written.has(key) || this.#snapshots.has(key)) return;
    this.#snapshots.set(key, JSON.stringify(value));
  }

  written(key: string): void {
    this.#written.add(key);
  }

  removed(key: string): void {
    this.#written.delete(key);
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
    this.#written.clear();
    this.#removed.clear();
    this.#snapshots.clear();
    this.#replaced = false;
  }

  /** The per-key changes against `data`, or null when nothing changed. */
  delta(data: SessionData): SessionDelta | null {
    const set: SessionData = Object.create(null);
    let count = 0;
    for (const key of this.#written) {
      if (key in data) {
        set[key] = data[key];
        count++;
      }
    }
    for (const [key, before] of this.#snapshots) {
      if (this.#written.has(key) || !(key in data)) continue;
      if (JSON.stringify(data[key]) !== before) {
        set[key] = data[key];
        count++;
      }
    }
    const unset = [...this.#removed].filter((key) => !(key in data));
    return count === 0 && unset.length === 0 ? null : { set, unset };
  }
}
