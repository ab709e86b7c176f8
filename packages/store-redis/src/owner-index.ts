import type { OwnedRecord, OwnerIndex } from '@sess/core/store';
import { decodeMetaRow, META_FIELDS } from './record-fields.js';
import type { RedisLike } from './redis-like.js';
import { DESTROY_OWNED, INDEX_RAISE, runScript } from './scripts.js';

/** Where the index finds its keys. */
export interface OwnerIndexKeys {
  /** The hash of a record id. */
  session(id: string): string;
  /** The sorted set of an owner. */
  owner(owner: string): string;
}

/** The owner index plus the upkeep the store calls before it writes an owned record. */
export interface RedisOwnerIndex extends OwnerIndex {
  /** Raises the score of `id` in the index of `owner` to at least `score` (ms); never lowers it. */
  raise(owner: string, id: string, score: number): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * The score to raise an index to for a record expiring at `expiresAt`: that instant plus some headroom (its
 * remaining life, at most a day), so a sliding session, whose expiry moves on every request, raises its
 * index about once per day of activity rather than on every write. A member outlives its record by at most
 * that headroom.
 */
export function indexScore(expiresAt: number, now: number): number {
  return Math.ceil(expiresAt) + Math.ceil(Math.min(Math.max(expiresAt - now, 0), DAY_MS));
}

/**
 * The owner index: one sorted set per owner, members = record ids, score = an instant at or past the
 * member's expiry (ms). Members whose score has passed on the server's clock are dropped whenever the
 * index is written; the server's clock also expires the hashes, so a dropped member's record is gone.
 *
 * The rule it keeps: while a record lives bound to owner O, O's index lists it with a score at or past
 * the record's expiry, so "sign out everywhere" finds it. On a Cluster the index and the session hash
 * live in different slots, so no script can write both: the order of two single-key steps has to hold the
 * rule, and it is **index first, record second**, with the record refusing to get ahead of its index:
 *
 * 1. Scores only go up (`raise` never lowers one), so raises from concurrent requests commute.
 * 2. The hash keeps in `_i` the score it knows its owner's index holds for it. The write script computes
 *    the new expiry itself (a refresh from the stored lifetime and deadline), and when the record would be
 *    left bound to an owner with an expiry past what `_i` (or a raise the client just made for that owner)
 *    covers, it writes nothing and answers the owner and the expiry needed. The client raises that index,
 *    then runs the write again. So a record is never bound, nor kept bound, past its index's score.
 * 3. A client that dies between the two steps leaves a member scored too high (filtered on read, dropped
 *    when its score passes), never a record missing from its index.
 *
 * Round trips: a write that binds an owner (login, `create` of an owned session) raises first, expecting
 * the default refresh, and writes second: 2. Any other write is 1, the writes of an owned session too, and
 * of a stale request that never saw the owner (issue 15: it no longer erases it), until its expiry outgrows
 * `_i`: that write is refused once and costs 3, about once per day of activity (see {@link indexScore}).
 *
 * Unbinding or rebinding leaves the old member behind (a concurrent rebind to the same owner may stand
 * behind it, so it is never removed on the way): `list` and `destroyAll` check each record's `_o`, and the
 * member is dropped once its score passes. `destroyAll` removes the members of the records it deleted
 * (record ids are never reused).
 */
export function createOwnerIndex(client: RedisLike, keys: OwnerIndexKeys): RedisOwnerIndex {
  async function list(owner: string): Promise<OwnedRecord[]> {
    const members = await client.zrange(keys.owner(owner), 0, -1);
    const rows = await Promise.all(members.map((id) => client.hmget(keys.session(id), ...META_FIELDS)));
    const live: OwnedRecord[] = [];
    members.forEach((id, i) => {
      const head = decodeMetaRow(rows[i] ?? []);
      if (head && head.meta.owner === owner) live.push({ id, meta: head.meta, expiresAt: head.expiresAt });
    });
    return live.sort((a, b) => a.meta.createdAt - b.meta.createdAt);
  }

  return {
    async raise(owner, id, score) {
      await runScript(client, INDEX_RAISE, keys.owner(owner), [id, score]);
    },

    list,

    async destroyAll(owner, exceptId) {
      const indexKey = keys.owner(owner);
      const members = (await client.zrange(indexKey, 0, -1)).filter((id) => id !== exceptId);
      const results = await Promise.all(
        members.map((id) => runScript(client, DESTROY_OWNED, keys.session(id), [owner])),
      );
      const destroyed = members.filter((_, i) => results[i] === 1);
      if (destroyed.length > 0) await client.zrem(indexKey, ...destroyed);
      return destroyed.length;
    },
  };
}
