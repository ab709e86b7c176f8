import { EXPIRY_KEY, expiresAtBrowserClose, expiryAge, parsePythonIsoFormat } from '../session/expiry.js';
import type { SessionContents } from '../session/session-contents.js';
import type { BackendWrite } from '../store/backend-contract.js';
import type { MetaChange, RecordMeta, SessionDelta } from '../store/contract.js';
import type { ManagerCore } from './manager-core.js';

/** What a request knows of its record when it writes. */
export interface RecordView {
  key: string | null;
  /** The metadata as loaded (or as this request last wrote it); null for a new session. */
  meta: RecordMeta | null;
  owner: string | undefined;
  /** The owner was bound or unbound in this request: the write carries it. */
  ownerChanged: boolean;
}

/** A write, and the cookie lifetime it implies. */
export interface PlannedWrite {
  write: BackendWrite;
  /** Max-Age of the cookie in seconds, or null for a browser-session cookie. */
  maxAge: number | null;
  now: number;
}

/**
 * The session's own lifetime, from Django's `_session_expiry`: seconds for an inactivity age, `0` for a
 * fixed instant (a date), undefined for the app's default (absent, or 0 = at browser close).
 */
function ownLifetime(expiry: unknown): number | undefined {
  if (typeof expiry === 'number') return expiry === 0 ? undefined : expiry;
  if (typeof expiry === 'string') return parsePythonIsoFormat(expiry) === null ? undefined : 0;
  return undefined;
}

/**
 * What a save writes (the rule of `MetaChange`): the data (whole, or the keys that changed) and only the
 * metadata this request changed. The expiry is written when the request set it (`setExpiry()`) or writes
 * the record whole; otherwise the store refreshes it from the record as it is now, so a request holding
 * a stale copy never undoes another's `setExpiry()`.
 */
export function planWrite(
  core: ManagerCore,
  view: RecordView,
  contents: SessionContents,
  options: { whole: boolean; now: number; delta?: SessionDelta | undefined },
): PlannedWrite {
  const { now } = options;
  const data = contents.data;
  const expiry = data[EXPIRY_KEY];
  const age = expiryAge(expiry as never, now, core.cookieAge);
  const browserClose = expiresAtBrowserClose(expiry as never, core.expireAtBrowserClose);
  const loaded = view.meta;
  const createdAt = loaded?.createdAt ?? now;
  const absolute = core.policy.absoluteTimeout;
  const deadline = loaded?.deadline ?? (absolute === null ? undefined : createdAt + absolute * 1000);

  let expiresAt = now + age * 1000;
  let maxAge: number | null = browserClose ? null : age;
  if (deadline !== undefined && deadline < expiresAt) {
    expiresAt = deadline;
    if (maxAge !== null) maxAge = Math.max(0, Math.floor((deadline - now) / 1000));
  }

  const meta: RecordMeta = { createdAt, lastSeenAt: now };
  if (view.owner !== undefined) meta.owner = view.owner;
  if (deadline !== undefined) meta.deadline = deadline;
  const lifetime = ownLifetime(expiry);
  if (lifetime !== undefined) meta.lifetime = lifetime;

  const change: MetaChange = { now, defaultLifetime: core.cookieAge };
  const whole = options.whole || view.key === null || contents.replaced;
  if (whole || contents.touched(EXPIRY_KEY)) change.expiry = { expiresAt, lifetime: lifetime ?? null };
  if (view.ownerChanged) change.owner = view.owner ?? null;
  if (deadline !== undefined && loaded?.deadline === undefined) change.deadline = deadline;

  const write: BackendWrite = { key: view.key, record: { data, expiresAt, meta }, change };
  if (!whole) {
    const delta = options.delta ?? contents.delta();
    if (delta) write.delta = delta;
  }
  return { write, maxAge, now };
}
