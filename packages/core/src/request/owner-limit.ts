import { CapabilityMissing, SessionError } from '../errors.js';
import type { OwnedRecord, OwnerIndex } from '../store/contract.js';
import type { ManagerCore } from './manager-core.js';

/** The error of a binding refused under `ownerLimit: { onLimit: 'reject' }`. */
export function ownerLimitError(count: number, max: number): SessionError {
  return new SessionError(`[@sess/core] owner already has ${count} sessions (ownerLimit.max ${max})`, {
    code: 'OWNER_LIMIT',
  });
}

function indexOf(core: ManagerCore): OwnerIndex {
  const index = core.backend.owners;
  if (!index) throw new CapabilityMissing(core.backend.name, 'an owner index (ownerLimit)');
  return index;
}

async function evict(core: ManagerCore, owner: string, records: readonly OwnedRecord[]): Promise<void> {
  for (const record of records) {
    await core.backend.destroyRecord(record.id);
    core.emit({ type: 'destroyed', handle: core.eventHandles.ofRecord(record.id), owner, reason: 'evicted' });
  }
}

/**
 * Before `owner` is bound to the session stored as `id` (null when it has no record yet): makes room
 * under `ownerLimit` ('evict-oldest') or refuses ('reject'). Logins running at once all pass this check;
 * {@link settleOwnerLimit} decides between them once the binding is saved.
 */
export async function makeRoomForOwner(core: ManagerCore, owner: string, id: string | null): Promise<void> {
  const limit = core.policy.ownerLimit;
  if (!limit) return;
  const others = (await indexOf(core).list(owner)).filter((record) => record.id !== id);
  const excess = others.length - limit.max + 1;
  if (excess <= 0) return;
  if (limit.onLimit === 'reject') throw ownerLimitError(others.length, limit.max);
  await evict(core, owner, others.slice(0, excess));
}

/**
 * Once a binding of `owner` to the record `mine` is saved, the owner's sessions are counted again, in one
 * order every request computes alike (oldest first): with `'evict-oldest'` the oldest others are evicted;
 * with `'reject'` the newest beyond the cap give way. Returns null when this session keeps its binding, or
 * how many other sessions the owner has when it must give way (the caller then undoes the binding and the
 * login fails). Concurrent logins so never leave more than `ownerLimit.max` sessions bound.
 */
export async function settleOwnerLimit(
  core: ManagerCore,
  owner: string,
  mine: OwnedRecord,
): Promise<number | null> {
  const limit = core.policy.ownerLimit;
  if (!limit) return null;
  const listed = await indexOf(core).list(owner);
  const self = listed.find((record) => record.id === mine.id) ?? mine;
  const ordered = [self, ...listed.filter((record) => record !== self)].sort(
    (a, b) => a.meta.createdAt - b.meta.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  if (ordered.length <= limit.max) return null;
  const others = ordered.filter((record) => record !== self);
  const evicted =
    limit.onLimit === 'evict-oldest'
      ? others.slice(0, ordered.length - limit.max)
      : ordered.slice(limit.max).filter((record) => record !== self);
  await evict(core, owner, evicted);
  if (limit.onLimit === 'evict-oldest' || ordered.indexOf(self) < limit.max) return null;
  return others.length;
}
