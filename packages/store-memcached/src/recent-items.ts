import type { Item } from './item-commands.js';

interface Entry {
  item: Item;
  bytes: number;
  at: number;
}

/**
 * The items `load` read, kept a few seconds so that the update, touch or destroy of the same request can
 * `cas` on them instead of reading the item again: a modifying request then costs one read and one
 * write. Bounded in count, bytes and age. Correctness never depends on it: a token that went stale
 * (another request wrote in between) makes the `cas` fail, and the write reads afresh as it would have
 * anyway.
 */
export class RecentItems {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(
    private readonly maxItems = 1024,
    private readonly maxBytes = 8 * 1024 * 1024,
    private readonly ttlMs = 10_000,
  ) {}

  /** Keeps `item` (whose raw value took `bytes`) for `key`, evicting the oldest entries past the bounds. */
  remember(key: string, item: Item, bytes: number, now: number): void {
    this.#drop(key);
    if (bytes > this.maxBytes) return;
    this.#entries.set(key, { item, bytes, at: now });
    this.#bytes += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxItems && this.#bytes <= this.maxBytes) break;
      this.#drop(oldest);
    }
  }

  /** The item kept for `key`, once: it is forgotten as it is handed out. Undefined when none or too old. */
  take(key: string, now: number): Item | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#drop(key);
    return now - entry.at <= this.ttlMs ? entry.item : undefined;
  }

  get size(): number {
    return this.#entries.size;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
