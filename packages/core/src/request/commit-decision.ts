import type { RecordMeta } from '../store/contract.js';
import type { ManagerCore } from './manager-core.js';

/** What the commit of one request must do. */
export type CommitStep = 'none' | 'delete' | 'skipped-5xx' | 'rotate' | 'save' | 'resend' | 'touch';

/** The facts the decision reads, gathered by the request at commit. */
export interface CommitFacts {
  status: number;
  /** Django's `is_empty()`: no record and no data. */
  empty: boolean;
  /** The request carried the session cookie. */
  hadCookie: boolean;
  /** Data changed (or `modified` was set) since load or the last save. */
  changed: boolean;
  /** The cookie must be re-issued (opened with an older secret). */
  reissue: boolean;
  /** The handler asked for the expiry to be refreshed (`touch()`). */
  touch: boolean;
  /** A write earlier in the request (an explicit `save()`) still owes its cookie. */
  owed: boolean;
  /** The record as this request knows it; null for a new session. */
  meta: RecordMeta | null;
  hasKey: boolean;
  now: number;
}

/**
 * Django's `SessionMiddleware.process_response`, plus sess's policy, in this order: delete the cookie
 * when the request had one and the session is now empty; nothing on a 5xx; rotate the key when its
 * interval has passed; save when modified (or save-every-request, or a cookie to re-issue); send the
 * cookie a `save()` earlier in the request produced; touch when `touchInterval` has passed.
 */
export function decideCommit(core: ManagerCore, facts: CommitFacts): CommitStep {
  if (facts.hadCookie && facts.empty) return 'delete';
  const wantsSave = facts.changed || core.saveEveryRequest || facts.reissue;
  if (facts.empty || facts.status >= 500)
    return !facts.empty && (wantsSave || facts.owed) ? 'skipped-5xx' : 'none';
  const policy = core.policy;
  const meta = facts.meta;
  if (
    policy.rotateInterval !== null &&
    facts.hasKey &&
    meta &&
    rotationDue(policy.rotateInterval, meta, facts.now)
  ) {
    return 'rotate';
  }
  if (wantsSave) return 'save';
  if (facts.owed) return 'resend';
  if (facts.touch && meta) return 'touch';
  const touch = policy.touchInterval;
  if (touch !== null && meta && facts.now - meta.lastSeenAt >= touch * 1000) return 'touch';
  return 'none';
}

/** A periodic rotation is due when the session's life has entered a new interval since its last write. */
function rotationDue(intervalSeconds: number, meta: RecordMeta, now: number): boolean {
  const interval = intervalSeconds * 1000;
  const epoch = (at: number) => Math.floor((at - meta.createdAt) / interval);
  return epoch(now) > epoch(meta.lastSeenAt);
}
