import type { OwnedRecord, OwnerIndex } from '@sess/core';
import { decodeMeta, META_FIELDS } from './record-fields.js';
import type { RedisLike } from './redis-like.js';
import { DESTROY_OWNED, INDEX_ADD, runScript } from './scripts.js';

/** Where the index finds its keys. */
export interface OwnerIndexKeys {
  /** The hash of a session key. */
  session(key: string): string;
  /** The sorted set of an owner. */
  owner(owner: string): string;
}

/** The owner index plus the upkeep the store calls on every write of an owned session. */
export interface RedisOwnerIndex extends OwnerIndex {
  /** Adds `key` to the index of `owner`, or moves its score to `expiresAt`. */
  add(owner: string, key: string, expiresAt: number): Promise<void>;
}

/**
 * The owner index: one sorted set per owner, members = session keys, score = the session's expiry.
 * On a cluster the set lives in another slot than the sessions, so no script can span both: the store
 * writes the index BEFORE the session, which guarantees every owned session is listed. A member whose
 * session is gone or now belongs to someone else is filtered out on read and dropped once its score
 * (the expiry it had) passes; it is never removed on a mere miss, because that miss may be a session
 * whose create is still in flight.
 */
export function createOwnerIndex(client: RedisLike, keys: OwnerIndexKeys): RedisOwnerIndex {
  async function list(owner: string): Promise<OwnedRecord[]> {
    const members = await client.zrange(keys.owner(owner), 0, -1);
    const rows = await Promise.all(members.map((key) => client.hmget(keys.session(key), ...META_FIELDS)));
    const live: OwnedRecord[] = [];
    members.forEach((key, i) => {
      const row = rows[i] ?? [];
      const head = decodeMeta((field) => row[META_FIELDS.indexOf(field as (typeof META_FIELDS)[number])]);
      if (head && head.meta.owner === owner) live.push({ key, meta: head.meta, expiresAt: head.expiresAt });
    });
    return live.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
  }

  return {
    async add(owner, key, expiresAt) {
      await runScript(client, INDEX_ADD, keys.owner(owner), [key, Math.ceil(expiresAt)]);
    },

    list,

    async destroyAll(owner, exceptKey) {
      const indexKey = keys.owner(owner);
      const members = (await client.zrange(indexKey, 0, -1)).filter((key) => key !== exceptKey);
      const results = await Promise.all(
        members.map((key) => runScript(client, DESTROY_OWNED, keys.session(key), [owner])),
      );
      const destroyed = members.filter((_, i) => results[i] === 1);
      if (destroyed.length > 0) await client.zrem(indexKey, ...destroyed);
      return destroyed.length;
    },
  };
}
