import { EXPIRY_KEY, parsePythonIsoFormat, type SessionData } from '@sess/core/store';

/** The instant of an ISO `_session_expiry`, or null when the data holds none (or a text that is no date). */
function isoInstant(data: SessionData): number | null {
  const expiry = data[EXPIRY_KEY];
  return typeof expiry === 'string' ? parsePythonIsoFormat(expiry) : null;
}

/** A `_session_expiry` of whole seconds other than 0 (0 means "at browser close": the default age). */
function ageSeconds(data: SessionData): number | null {
  const expiry = data[EXPIRY_KEY];
  return typeof expiry === 'number' && Number.isFinite(expiry) && expiry !== 0 ? expiry : null;
}

/**
 * When a Django session file expires, ms since the epoch. Django's file backend takes
 * `_session_expiry` when it is an instant, and otherwise the file's mtime plus `SESSION_COOKIE_AGE`.
 * Seconds in `_session_expiry` count from the mtime (the last save): Django's file backend would keep
 * such a file forever (it compares the number itself with 0), but its cookie and every other backend
 * give that many seconds of inactivity, and so does this.
 */
export function djangoExpiresAt(data: SessionData, mtimeMs: number, cookieAge: number): number {
  const instant = isoInstant(data);
  if (instant !== null) return instant;
  return mtimeMs + (ageSeconds(data) ?? cookieAge) * 1000;
}

/**
 * The mtime that makes {@link djangoExpiresAt} answer `expiresAt` for `data`: the expiry minus the
 * session's age. For an instant the mtime carries no expiry, so it is the write time, `now`.
 */
export function djangoMtime(data: SessionData, expiresAt: number, now: number, cookieAge: number): number {
  if (isoInstant(data) !== null) return now;
  return expiresAt - (ageSeconds(data) ?? cookieAge) * 1000;
}

/**
 * The session's own lifetime as Django's data says it (the `meta.lifetime` of a loaded record, which
 * Django keeps nowhere else): seconds for `_session_expiry` seconds, `0` for an instant (a fixed expiry
 * no save moves), undefined for the cookie age (none, 0 or a text that is no date).
 */
export function djangoLifetime(data: SessionData): number | undefined {
  if (isoInstant(data) !== null) return 0;
  return ageSeconds(data) ?? undefined;
}
