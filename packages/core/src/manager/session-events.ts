/**
 * Lifecycle events for audit logs and rate limiting. They carry the session's opaque handle (an HMAC
 * of the key), never the key itself.
 */
export type SessionEvent =
  | { type: 'created'; handle: string | null; owner?: string }
  | { type: 'rotated'; handle: string | null; previousHandle: string | null; owner?: string }
  | {
      type: 'destroyed';
      handle: string | null;
      owner?: string;
      reason: 'flush' | 'cycle' | 'revoked' | 'evicted';
    }
  | { type: 'expired'; handle: string | null; owner?: string; reason: 'absolute-timeout' }
  | { type: 'rejected'; reason: 'unknown-or-invalid' | 'invalid-data' };

/** The listener given as the manager's `onEvent` option. */
export type SessionEventListener = (event: SessionEvent) => void;
