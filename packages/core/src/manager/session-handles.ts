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
