import type { SessionData, SessionDelta } from '../store/contract.js';

/**
 * An empty object with a null prototype (a key named `__proto__` is data, `in` sees no inherited member).
 * `Object.create(null)` makes it a dictionary from the start, which every read and write then pays for;
 * a literal whose prototype is then set to null keeps V8's fast properties.
 */
function emptyData(): SessionData {
  return Object.setPrototypeOf({}, null) as SessionData;
}

/**
 * The data of one request's session and what happened to it: Django's `accessed` and `modified` flags,
 * and which top-level keys changed, including objects mutated in place (`session.get('cart').items.push(x)`):
 * an object value handed out to the handler is snapshotted as JSON the first time, and compared when the
 * delta is asked for. Primitives cannot change behind the session's back, so reading a counter costs nothing.
 * The `Session` facade writes it; its request reads it at commit.
 */
export class SessionContents {
  /** True once any data method ran (drives `Vary: Cookie`). */
  accessed = false;
  /** True once data changed; the app may set it to force a save. */
  modified = false;
  /** The data, with a null prototype (a key named `__proto__` is data). */
  data: SessionData;
  // Created on first use: most requests write one key and snapshot nothing.
  #written: Set<string> | undefined;
  #removed: Set<string> | undefined;
  #snapshots: Map<string, string> | undefined;
  #replaced = false;

  constructor(data: SessionData) {
    this.data = Object.assign(emptyData(), data);
  }

  /** The value of `key` is about to be handed out: remember how it looked. */
  handOut(key: string, value: unknown): void {
    if (value === null || typeof value !== 'object') return;
    if (this.#written?.has(key) || this.#snapshots?.has(key)) return;
    this.#snapshots ??= new Map();
    this.#snapshots.set(key, JSON.stringify(value));
  }

  /** `key` was given a value. */
  written(key: string): void {
    this.#written ??= new Set();
    this.#written.add(key);
    this.modified = true;
  }

  /** `key` was removed. */
  removed(key: string): void {
    this.#written?.delete(key);
    this.#removed ??= new Set();
    this.#removed.add(key);
    this.modified = true;
  }

  /** Everything is replaced (`clear()`, a new key): the record must be written whole. */
  replaceAll(data: SessionData = emptyData()): void {
    this.data = data;
    this.#replaced = true;
    this.accessed = true;
    this.modified = true;
  }

  /** The data as stored again (a reload): unsaved changes are dropped. */
  restore(data: SessionData): void {
    this.data = Object.assign(emptyData(), data);
    this.reset();
    this.accessed = true;
  }

  /** True when the record must be written whole (no delta). */
  get replaced(): boolean {
    return this.#replaced;
  }

  /** Whether `key` was written or removed in this request (not counting in-place mutation). */
  touched(key: string): boolean {
    return this.#replaced || this.#written?.has(key) === true || this.#removed?.has(key) === true;
  }

  /**
   * The current data is the new baseline (after a save). Object values are snapshotted again as they are
   * now: the handler may still hold them (`const cart = req.session.cart; await save(); cart.push(x)`), and a
   * later in-place change must count as a change, not be lost.
   */
  reset(final = false): void {
    // The handler may still hold the objects it read or wrote, and change them after this save: they are
    // snapshotted again, so the next commit sees those changes. After the commit's own save (`final`)
    // nothing more can be saved, so nothing is kept.
    const held = final
      ? undefined
      : this.#replaced
        ? Object.keys(this.data)
        : [...(this.#snapshots?.keys() ?? []), ...(this.#written ?? [])];
    this.#written = undefined;
    this.#removed = undefined;
    this.#snapshots = undefined;
    this.#replaced = false;
    this.modified = false;
    if (!held) return;
    const data = this.data;
    for (const key of held) if (key in data) this.handOut(key, data[key]);
  }

  /**
   * The per-key changes since the baseline (empty when nothing changed), or undefined when the record must
   * be written whole. Each snapshot is compared once here, at commit.
   */
  delta(): SessionDelta | undefined {
    if (this.#replaced) return undefined;
    const data = this.data;
    const set = emptyData();
    const written = this.#written;
    if (written) for (const key of written) if (key in data) set[key] = data[key];
    if (this.#snapshots) {
      for (const [key, before] of this.#snapshots) {
        if (written?.has(key) || !(key in data)) continue;
        if (JSON.stringify(data[key]) !== before) set[key] = data[key];
      }
    }
    const unset: string[] = [];
    if (this.#removed) for (const key of this.#removed) if (!(key in data)) unset.push(key);
    return { set, unset };
  }
}

/** Whether a delta changes nothing. */
export function isEmptyDelta(delta: SessionDelta): boolean {
  if (delta.unset.length > 0) return false;
  for (const _ in delta.set) return false;
  return true;
}
