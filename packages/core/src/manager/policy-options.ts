import * as option from '../options/option-kinds.js';
import type { SessionEventListener } from './session-events.js';

/** What to do when an owner already has `ownerLimit.max` sessions and logs in again. */
export interface OwnerLimit {
  /** Sessions one owner may hold at once. */
  max: number;
  /** `'reject'` refuses the new binding; `'evict-oldest'` destroys the oldest sessions to make room. */
  onLimit: 'reject' | 'evict-oldest';
}

/** The lifecycle policy beyond Django. Every lifetime is in seconds. */
export const POLICY_OPTION_SPECS = {
  /** Refresh the expiry of an unmodified session at most once per this many seconds (never rewriting data); null: never, as Django. */
  touchInterval: option.seconds({ default: null, defaultText: 'null (no touch, as Django)' }),
  /** Seconds from creation after which the session ends whatever the activity; null: none. */
  absoluteTimeout: option.seconds({ default: null }),
  /** Give the session a new key once per this many seconds of its life (server-side stores); null: never. */
  rotateInterval: option.seconds({ default: null }),
  /** Seconds the previous key keeps working after a periodic rotation, for requests in flight. */
  rotationGrace: option.seconds({ default: 30 }),
  /** Cap on sessions per owner, with the policy chosen explicitly; null: no cap. */
  ownerLimit: option.custom<OwnerLimit | null>({
    default: null,
    expected: "{ max: positive whole number, onLimit: 'reject' | 'evict-oldest' }",
    check: (value, invalid) => {
      if (value === null) return null;
      const { max, onLimit } = (value ?? {}) as Partial<OwnerLimit>;
      if (typeof value !== 'object' || typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
        return invalid();
      }
      if (onLimit !== 'reject' && onLimit !== 'evict-oldest') {
        return invalid("'reject' or 'evict-oldest'", 'onLimit');
      }
      return { max, onLimit };
    },
  }),
  /** Secret for session handles (an HMAC of the key): set it when several processes list sessions. */
  handleSecret: option.custom<string | Uint8Array | undefined>({
    default: undefined,
    defaultText: 'a random per-process secret',
    expected: 'a string or bytes of at least 32',
    secret: true,
    check: (value, invalid) => {
      if (!(typeof value === 'string' || value instanceof Uint8Array)) return invalid();
      return value.length >= 32 ? value : invalid('at least 32 characters or bytes');
    },
  }),
  /** Called on created, rotated, destroyed, expired and rejected sessions; never receives the key. */
  onEvent: option.callback<SessionEventListener>({ default: undefined, expected: 'a function' }),
};

/** The policy options after validation. */
export interface ResolvedPolicy {
  touchInterval: number | null;
  absoluteTimeout: number | null;
  rotateInterval: number | null;
  rotationGrace: number;
  ownerLimit: OwnerLimit | null;
}
