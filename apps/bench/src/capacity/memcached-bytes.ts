import { systemClock } from '@sess/core';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import Memcached from 'memcached';
import { memcachedStatsOf, memcachedValue } from './memcached-text.js';
import { copiesOf, createAll, SESSION_KINDS, type SessionKind, saveSession } from './session-kinds.js';

/** A session at rest in memcached. */
export interface MemcachedBytes {
  /** The item's key (`sess:` + the 32-character key), bytes. */
  key: number;
  /** The item's value (the JSON envelope), bytes. */
  value: number;
  /**
   * Growth of `stats` `bytes` per item over the bulk items: the item as memcached stores it (its header
   * with the CAS value, key, value and line ends).
   */
  item: number;
  /** `chunk_size` of the slab class the bulk items landed in: the memory each item really takes. */
  chunk: number;
}

/** The slab class whose `used_chunks` grew most between two `stats slabs`, and by how much. */
function grownClass(before: Record<string, number>, after: Record<string, number>) {
  let best = { chunk: 0, grown: 0 };
  for (const [name, used] of Object.entries(after)) {
    const match = /^(\d+):used_chunks$/.exec(name);
    if (!match) continue;
    const grown = used - (before[name] ?? 0);
    if (grown > best.grown) best = { chunk: after[`${match[1]}:chunk_size`] ?? 0, grown };
  }
  return best;
}

/**
 * Saves each kind of session through a real manager and reads its item, then stores `bulk` more like it
 * and reads memcached's own accounting (`stats`, `stats slabs`).
 */
export async function memcachedBytes(
  server: string,
  bulk: number,
): Promise<Record<SessionKind, MemcachedBytes>> {
  const client = new Memcached([server], { ...recommendedClientOptions });
  try {
    const store = createMemcachedStore(client);
    const sizes = {} as Record<SessionKind, MemcachedBytes>;
    for (const kind of SESSION_KINDS) {
      const id = await saveSession(kind, store, systemClock);
      const key = store.keyOf(id);
      const value = await memcachedValue(server, key);
      const record = await store.load(id);
      if (!value || !record) throw new Error(`capacity: the ${kind} session was not found in memcached`);
      const [statsBefore, slabsBefore] = [
        await memcachedStatsOf(server),
        await memcachedStatsOf(server, 'slabs'),
      ];
      await createAll(store, copiesOf(record, bulk));
      const [statsAfter, slabsAfter] = [
        await memcachedStatsOf(server),
        await memcachedStatsOf(server, 'slabs'),
      ];
      const items = (statsAfter.curr_items ?? 0) - (statsBefore.curr_items ?? 0);
      const slab = grownClass(slabsBefore, slabsAfter);
      if (items !== bulk || slab.grown !== bulk) {
        throw new Error(`capacity: memcached holds ${items} new items in ${slab.grown} chunks, not ${bulk}`);
      }
      sizes[kind] = {
        key: Buffer.byteLength(key),
        value: value.length,
        item: Math.round(((statsAfter.bytes ?? 0) - (statsBefore.bytes ?? 0)) / bulk),
        chunk: slab.chunk,
      };
    }
    return sizes;
  } finally {
    client.end();
  }
}
