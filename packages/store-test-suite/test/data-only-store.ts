import { CapabilityMissing } from '@sess/core';
import type { MetaChange, RecordMeta, SessionData, SessionRecord, SessionStore } from '@sess/core/store';

/** How the fake keeps a record: the data as JSON and the expiry, nothing else (like Django's table). */
export interface DataOnlyEntry {
  json: string;
  expiresAt: number;
}

const NAME = 'data-only store (test fake)';

/**
 * A fake of a store that keeps only data and expiry, as Django's formats do (`metadata: false`): loaded
 * records report the load time as `createdAt` and `lastSeenAt`; an owner or a deadline is refused with
 * `CapabilityMissing` (as the Django engines do), links and lifetimes are dropped silently.
 */
export function createDataOnlyStore(): SessionStore & { peek(id: string): DataOnlyEntry | null } {
  const entries = new Map<string, DataOnlyEntry>();
  const live = (id: string): DataOnlyEntry | undefined => {
    const entry = entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(id);
      return undefined;
    }
    return entry;
  };
  const meta = (): RecordMeta => {
    const now = Date.now();
    return { createdAt: now, lastSeenAt: now };
  };
  const refuse = (owner: string | null | undefined, deadline: number | undefined): void => {
    if (typeof owner === 'string') throw new CapabilityMissing(NAME, 'session owners');
    if (deadline !== undefined) throw new CapabilityMissing(NAME, 'absolute deadlines');
  };
  const expiryAfter = (change: MetaChange): number =>
    change.expiry ? change.expiry.expiresAt : change.now + change.defaultLifetime * 1000;
  return {
    name: NAME,
    capabilities: {
      delta: false,
      ownerIndex: false,
      nativeExpiry: false,
      expiryResolution: 'ms',
      metadata: false,
    },
    peek: (id) => entries.get(id) ?? null,
    async load(id) {
      const entry = live(id);
      return entry
        ? { data: JSON.parse(entry.json) as SessionData, expiresAt: entry.expiresAt, meta: meta() }
        : null;
    },
    async create(id, record: SessionRecord) {
      refuse(record.meta.owner, record.meta.deadline);
      if (live(id)) return false;
      entries.set(id, { json: JSON.stringify(record.data), expiresAt: record.expiresAt });
      return true;
    },
    async update(id, update) {
      refuse(update.meta.owner, update.meta.deadline);
      const entry = live(id);
      if (!entry) return false;
      entries.set(id, { json: JSON.stringify(update.data), expiresAt: expiryAfter(update.meta) });
      return true;
    },
    async touch(id, change) {
      refuse(change.owner, change.deadline);
      const entry = live(id);
      if (!entry) return false;
      entries.set(id, { json: entry.json, expiresAt: expiryAfter(change) });
      return true;
    },
    async destroy(id) {
      const entry = live(id);
      entries.delete(id);
      return entry ? meta() : null;
    },
    async clearExpired() {
      let removed = 0;
      for (const [id, entry] of entries) {
        if (entry.expiresAt <= Date.now()) {
          entries.delete(id);
          removed++;
        }
      }
      return removed;
    },
  };
}
