import { EXPIRY_KEY, parsePythonIsoFormat } from '../session/expiry.js';
import type { SessionData } from './contract.js';

/** A Django release as `[major, minor]`. */
export type DjangoVersion = readonly [major: number, minor: number];

const VERSION = /^(\d+)\.(\d+)(?:\.\d+)?$/;

/** What the `version` options of the Django modes accept, for their error messages. */
export const DJANGO_VERSION_EXPECTED =
  "a Django version 'MAJOR.MINOR' of 3.1 or later (older Django stores sessions in another format)";

/**
 * Parses `'MAJOR.MINOR'` (a patch part is allowed). Null for anything else and for Django before 3.1,
 * whose session format sess does not write.
 */
export function parseDjangoVersion(value: unknown): DjangoVersion | null {
  const match = typeof value === 'string' ? VERSION.exec(value) : null;
  if (!match) return null;
  const version = [Number(match[1]), Number(match[2])] as const;
  return version[0] > 3 || (version[0] === 3 && version[1] >= 1) ? version : null;
}

/** Whether a Django of `version` reads an ISO date in `_session_expiry` (4.1 and later do). */
export function djangoReadsIsoExpiry([major, minor]: DjangoVersion): boolean {
  return major > 4 || (major === 4 && minor >= 1);
}

/**
 * The data as a Django older than 4.1 can read it. Such a Django takes `_session_expiry` as seconds (it
 * fails on a date text when it saves), so an instant becomes the whole seconds left from `nowMs`, rounded
 * up: Django then keeps the session that long after each save (an inactivity age, no longer a fixed
 * instant). An instant already past becomes a negative age (expired), never 0 (which means "at browser
 * close"). A text that is no date is removed. Data without a text or `Date` expiry is returned as it is.
 */
export function withSecondsExpiry(data: SessionData, nowMs: number): SessionData {
  const expiry = data[EXPIRY_KEY];
  if (typeof expiry !== 'string' && !(expiry instanceof Date)) return data;
  const at = typeof expiry === 'string' ? parsePythonIsoFormat(expiry) : expiry.getTime();
  if (at === null || Number.isNaN(at)) {
    const { [EXPIRY_KEY]: _dropped, ...rest } = data;
    return rest;
  }
  const seconds = Math.ceil((at - nowMs) / 1000);
  return { ...data, [EXPIRY_KEY]: seconds > 0 ? seconds : Math.min(seconds, -1) };
}
