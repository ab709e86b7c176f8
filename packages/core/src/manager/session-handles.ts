import { createHmac, randomBytes } from 'node:crypto';

/**
 * Opaque handles: what users see of a session (to list or revoke sessions) without ever seeing its
 * key. An HMAC-SHA256, under a secret, of the id the record is stored under, base64url.
 */
export interface HandleDeriver {
  /** The handle of the session whose cookie carries `key`. */
  of(key: string): string;
  /** The handle of a record the owner index lists (by the id it is stored under). */
  ofRecord(id: string): string;
}

/**
 * Handles under `secret`; without one, a random per-process secret (handles then change on restart).
 * `recordId` maps a key to the id it is stored under (a hash of it with `hashKeysAtRest`).
 */
export function createHandleDeriver(
  secret: string | Uint8Array | undefined,
  recordId: (key: string) => string = (key) => key,
): HandleDeriver {
  const hmacKey = secret ?? randomBytes(32);
  const ofRecord = (id: string) => createHmac('sha256', hmacKey).update(id).digest('base64url');
  return { of: (key) => ofRecord(recordId(key)), ofRecord };
}

/**
 * The handles events name sessions by. Deriving one costs an HMAC, and without an `onEvent` listener every
 * event is dropped: then these answer null and derive nothing (decided once, when the manager is built).
 */
export interface EventHandles {
  /** The handle of the session whose cookie carries `key`; null for no key, or when nobody listens. */
  of(key: string | null): string | null;
  /** The handle of a record the owner index lists; null when nobody listens. */
  ofRecord(id: string): string | null;
}

const UNHEARD: EventHandles = Object.freeze({ of: () => null, ofRecord: () => null });

/** The event handles of a manager: `handles` when someone listens, else none at all. */
export function eventHandles(handles: HandleDeriver, listening: boolean): EventHandles {
  if (!listening) return UNHEARD;
  return { of: (key) => (key === null ? null : handles.of(key)), ofRecord: handles.ofRecord };
}
