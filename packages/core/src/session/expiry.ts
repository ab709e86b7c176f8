/**
 * Django's expiry rules as pure functions. `_session_expiry` lives inside the session data, as in
 * Django: an integer number of seconds (0 = at browser close) or an ISO-8601 string (an instant).
 */

/** The data key Django keeps a per-session expiry under. */
export const EXPIRY_KEY = '_session_expiry';

/** What may be stored under `_session_expiry`. */
export type StoredExpiry = number | string | null | undefined;

/** Python's `datetime.isoformat()` of an aware UTC datetime: microseconds only when non-zero. */
export function toPythonIsoFormat(date: Date): string {
  const iso = date.toISOString(); // 2024-01-01T12:00:00.123Z
  const ms = date.getUTCMilliseconds();
  const base = iso.slice(0, 19);
  return ms === 0 ? `${base}+00:00` : `${base}.${String(ms).padStart(3, '0')}000+00:00`;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)?$/;

/**
 * Parses the strings Python's `isoformat()` writes (microseconds, `+HH:MM` offsets); a naive value is
 * taken as UTC. Returns ms since the epoch, or null when the text is not such a date.
 */
export function parsePythonIsoFormat(text: string): number | null {
  const m = ISO_PATTERN.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const [year, month, day, hour, minute, second] = [
    Number(y),
    Number(mo),
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
  ];
  // Date.UTC rolls 2024-02-30 over to March; Python's fromisoformat rejects it, and so do we.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const ms = frac ? Math.floor(Number(frac.padEnd(6, '0')) / 1000) : 0;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone !== 'Z') {
    const digits = zone.replace(/:/g, '');
    const sign = digits[0] === '-' ? -1 : 1;
    const [oh, om, os] = [
      Number(digits.slice(1, 3)),
      Number(digits.slice(3, 5)),
      Number(digits.slice(5, 7) || 0),
    ];
    if (oh > 23 || om > 59 || os > 59) return null;
    t -= sign * (oh * 3600 + om * 60 + os) * 1000;
  }
  return Number.isNaN(t) ? null : t;
}

/**
 * Django's `get_expiry_age`: seconds from `modificationMs` until expiry. A falsy expiry means the
 * default age; an integer is returned as is; an instant gives the floor of the remaining seconds.
 */
export function expiryAge(expiry: StoredExpiry, modificationMs: number, defaultAge: number): number {
  if (!expiry) return defaultAge;
  if (typeof expiry === 'number') return expiry;
  const at = parsePythonIsoFormat(expiry);
  if (at === null) return defaultAge;
  return Math.floor((at - modificationMs) / 1000);
}

/** Django's `get_expiry_date`: the expiry instant, ms since the epoch. */
export function expiryDate(expiry: StoredExpiry, modificationMs: number, defaultAge: number): number {
  if (typeof expiry === 'string') {
    const at = parsePythonIsoFormat(expiry);
    if (at !== null) return at;
  }
  return modificationMs + (typeof expiry === 'number' && expiry !== 0 ? expiry : defaultAge) * 1000;
}

/** Django's `get_expire_at_browser_close`: the default when unset, otherwise whether the expiry is 0. */
export function expiresAtBrowserClose(expiry: StoredExpiry, defaultAtBrowserClose: boolean): boolean {
  if (expiry === undefined || expiry === null) return defaultAtBrowserClose;
  return expiry === 0;
}
