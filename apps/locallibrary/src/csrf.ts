import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Session } from '@sess/core';
import type { LibraryData } from './session-data.js';

/** The name of the hidden form field that carries the token. */
export const CSRF_FIELD = 'csrf_token';

/**
 * The session's synchronizer token, created on first use. Every form of the site carries it, and every
 * POST must send it back: a page on another site cannot read it, so it cannot forge the form.
 */
export function csrfToken(session: Session<LibraryData>): string {
  const current = session.get('csrf_token');
  if (typeof current === 'string' && current.length > 0) return current;
  return rotateCsrfToken(session);
}

/** Replaces the token (at login, as Django does, so a token seen before login is worthless after it). */
export function rotateCsrfToken(session: Session<LibraryData>): string {
  const token = randomBytes(32).toString('base64url');
  session.set('csrf_token', token);
  return token;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether `submitted` is the session's token, compared in constant time. */
export function csrfValid(session: Session<LibraryData>, submitted: string | null): boolean {
  const expected = session.get('csrf_token');
  if (typeof expected !== 'string' || expected.length === 0 || submitted === null) return false;
  return timingSafeEqual(digest(expected), digest(submitted));
}
