import type { MetaChange, RecordMeta } from './contract.js';

/** The metadata and expiry of a record, as a write reads and rewrites them. */
export interface RecordHead {
  meta: RecordMeta;
  expiresAt: number;
}

/**
 * The expiry a write without its own `expiry` leaves on a record: `now` plus the record's own lifetime
 * (or the default one) in seconds, capped at the deadline; a fixed instant (lifetime `0`) stays.
 */
export function refreshedExpiry(stored: RecordHead, change: MetaChange): number {
  const lifetime = stored.meta.lifetime ?? change.defaultLifetime;
  if (lifetime === 0) return stored.expiresAt;
  // A stored deadline is never replaced, so it is the one that caps.
  const deadline = stored.meta.deadline ?? change.deadline;
  const slid = change.now + lifetime * 1000;
  return deadline !== undefined && deadline < slid ? deadline : slid;
}

/**
 * The record's metadata and expiry after `change`, by the rules of {@link MetaChange}: for engines that
 * read, change and write a record under a lock or a compare-and-set (memory, files, memcached). Engines
 * that change fields in place (Redis, PostgreSQL) implement the same rules natively.
 */
export function applyMetaChange(stored: RecordHead, change: MetaChange): RecordHead {
  const meta: RecordMeta = { ...stored.meta, lastSeenAt: change.now };
  if (change.deadline !== undefined && meta.deadline === undefined) meta.deadline = change.deadline;
  if (change.owner === null) delete meta.owner;
  else if (change.owner !== undefined) meta.owner = change.owner;
  if (change.previous === null) delete meta.previous;
  else if (change.previous !== undefined) meta.previous = change.previous;
  if (change.next === null) delete meta.next;
  else if (change.next !== undefined) meta.next = change.next;
  const expiry = change.expiry;
  if (!expiry) return { meta, expiresAt: refreshedExpiry({ meta, expiresAt: stored.expiresAt }, change) };
  if (expiry.lifetime === null) delete meta.lifetime;
  else meta.lifetime = expiry.lifetime;
  return { meta, expiresAt: expiry.expiresAt };
}

/**
 * Only the metadata fields of the contract, in one fixed order, refusing what cannot be stored: for
 * engines that serialize metadata (an envelope) and must never write a field the contract lacks.
 * Null when a field has the wrong type (not finite, not a string).
 */
export function canonicalMeta(value: unknown): RecordMeta | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const input = value as Record<string, unknown>;
  const { createdAt, lastSeenAt } = input;
  if (!isInstant(createdAt) || !isInstant(lastSeenAt)) return null;
  const meta: RecordMeta = { createdAt, lastSeenAt };
  for (const name of ['owner', 'previous', 'next'] as const) {
    const field = input[name];
    if (field === undefined) continue;
    if (typeof field !== 'string') return null;
    meta[name] = field;
  }
  for (const name of ['deadline', 'lifetime'] as const) {
    const field = input[name];
    if (field === undefined) continue;
    if (!isInstant(field)) return null;
    meta[name] = field;
  }
  return meta;
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
