import { SessionConfigError } from './errors.js';
import type { SessionEventListener } from './session-events.js';

/** What to do when an owner already has `ownerLimit.max` sessions and logs in again. */
export interface OwnerLimit {
  /** Sessions one owner may hold at once. */
  max: number;
  /** `'reject'` refuses the new binding; `'evict-oldest'` destroys the oldest sessions to make room. */
  onLimit: 'reject' | 'evict-oldest';
}

/** Lifecycle policy beyond Django. Every lifetime is in seconds. */
export interface PolicyOptions {
  /** Refresh the expiry of an unmodified session at most once per this many seconds (never rewriting data). @default null (no touch, as Django) */
  touchInterval?: number | null;
  /** Seconds from creation after which the session ends whatever the activity. @default null */
  absoluteTimeout?: number | null;
  /** Give the session a new key once per this many seconds of its life (server-side stores). @default null */
  rotateInterval?: number | null;
  /** Seconds the previous key keeps working after a periodic rotation, for requests in flight. @default 30 */
  rotationGrace?: number;
  /** Cap on sessions per owner, with the policy chosen explicitly. @default null (no cap) */
  ownerLimit?: OwnerLimit | null;
  /** Secret for session handles (HMAC of the key). Set it when several processes list sessions. @default a random per-process secret */
  handleSecret?: string | Uint8Array;
  /** Called on created, rotated, destroyed, expired and rejected; never receives the key. */
  onEvent?: SessionEventListener;
}

/** {@link PolicyOptions} after validation. */
export interface ResolvedPolicy {
  touchInterval: number | null;
  absoluteTimeout: number | null;
  rotateInterval: number | null;
  rotationGrace: number;
  ownerLimit: OwnerLimit | null;
  handleSecret: string | Uint8Array | undefined;
  onEvent: SessionEventListener | undefined;
}

/** The names of the policy options, for the unknown-option check. */
export const POLICY_OPTION_NAMES = [
  'touchInterval',
  'absoluteTimeout',
  'rotateInterval',
  'rotationGrace',
  'ownerLimit',
  'handleSecret',
  'onEvent',
] as const;

const SOURCE = '@sess/core';

function seconds(options: Record<string, unknown>, name: string, nullable: boolean, fallback: number | null) {
  const value = options[name];
  if (value === undefined || (value === null && nullable)) return value === null ? null : fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new SessionConfigError(
      SOURCE,
      name,
      `a positive whole number of seconds${nullable ? ' or null' : ''}`,
      value,
    );
  }
  return value;
}

/** Validates the policy options, naming the offending one. */
export function resolvePolicyOptions(options: Record<string, unknown>): ResolvedPolicy {
  const limit = options.ownerLimit ?? null;
  if (limit !== null) {
    const { max, onLimit } = limit as Partial<OwnerLimit>;
    if (typeof limit !== 'object' || typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      throw new SessionConfigError(SOURCE, 'ownerLimit', '{ max: positive whole number, onLimit }', limit);
    }
    if (onLimit !== 'reject' && onLimit !== 'evict-oldest') {
      throw new SessionConfigError(SOURCE, 'ownerLimit.onLimit', "'reject' or 'evict-oldest'", onLimit);
    }
  }
  const secret = options.handleSecret;
  if (secret !== undefined && !(typeof secret === 'string' || secret instanceof Uint8Array)) {
    throw new SessionConfigError(SOURCE, 'handleSecret', 'a string or bytes of at least 32', typeof secret);
  }
  if (secret !== undefined && secret.length < 32) {
    throw new SessionConfigError(
      SOURCE,
      'handleSecret',
      'at least 32 characters or bytes',
      `${secret.length}`,
    );
  }
  const onEvent = options.onEvent;
  if (onEvent !== undefined && typeof onEvent !== 'function') {
    throw new SessionConfigError(SOURCE, 'onEvent', 'a function', onEvent);
  }
  return {
    touchInterval: seconds(options, 'touchInterval', true, null),
    absoluteTimeout: seconds(options, 'absoluteTimeout', true, null),
    rotateInterval: seconds(options, 'rotateInterval', true, null),
    rotationGrace: seconds(options, 'rotationGrace', false, 30) as number,
    ownerLimit: limit as OwnerLimit | null,
    handleSecret: secret as string | Uint8Array | undefined,
    onEvent: onEvent as SessionEventListener | undefined,
  };
}
