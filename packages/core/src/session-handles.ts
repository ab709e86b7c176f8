import { createHmac, randomBytes } from 'node:crypto';

/**
 * Opaque handles: what users see of a session key (to list or revoke sessions) without ever seeing
 * the key. An HMAC-SHA256 of the key under a secret, base64url.
 */
export interface HandleDeriver {
  of(key: string): string;
}

/** Handles under `secret`; without one, a random per-process secret (handles then change on restart). */
export function createHandleDeriver(secret: string | Uint8Array | undefined): HandleDeriver {
  const key = secret ?? randomBytes(32);
  return { of: (sessionKey) => createHmac('sha256', key).update(sessionKey).digest('base64url') };
}
