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
  const before = stored.meta;
  // Built field by field in one order (no spread, no delete): every record's metadata keeps one shape.
  const meta: RecordMeta = { createdAt: before.createdAt, lastSeenAt: change.now };
  const owner = change.owner === undefined ? before.owner : change.owner;
  if (owner !== null && owner !== undefined) meta.owner = owner;
  const deadline = before.deadline ?? change.deadline;
  if (deadline !== undefined) meta.deadline = deadline;
  const expiry = change.expiry;
  const lifetime = expiry ? expiry.lifetime : before.lifetime;
  if (lifetime !== null && lifetime !== undefined) meta.lifetime = lifetime;
  const previous = change.previous === undefined ? before.previous : change.previous;
  if (previous !== null && previous !== undefined) meta.previous = previous;
  const next = change.next === undefined ? before.next : change.next;
  if (next !== null && next !== undefined) meta.next = next;
  if (expiry) return { meta, expiresAt: expiry.expiresAt };
  return { meta, expiresAt: refreshedExpiry({ meta, expiresAt: stored.expiresAt }, change) };
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
