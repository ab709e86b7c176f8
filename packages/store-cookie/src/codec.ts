import type { SessionData } from '@sess/core/store';

/** What a codec needs to write a token. */
export interface EncodeClaims {
  /** The session cookie's name. */
  name: string;
  /** The time of the save, ms since the epoch. */
  now: number;
  /** When the session expires, ms since the epoch. */
  expiresAt: number;
}

/** What a codec needs to open a token. */
export interface DecodeContext {
  /** The session cookie's name. */
  name: string;
  /** The current time, ms since the epoch. */
  now: number;
  /** The manager's cookie age, seconds (Django's SESSION_COOKIE_AGE). */
  cookieAge: number;
}

/** An opened token. */
export interface DecodedToken {
  data: SessionData;
  /** When the token was written, ms since the epoch. */
  issuedAt: number;
  /** When it stops opening, ms since the epoch. */
  expiresAt: number;
  /** It opened with one of `secretKeyFallbacks`, so it should be written again with `secretKey`. */
  stale: boolean;
}

/** Turns session data into the text of the session cookie and back. */
export interface CookieCodec {
  /** The token for `data`. Throws `CookieTooLarge` when the data cannot be encoded at any size. */
  encode(data: SessionData, claims: EncodeClaims): string;
  /** The session inside `token`, or null for anything invalid, forged or expired. Never throws. */
  decode(token: string, context: DecodeContext): DecodedToken | null;
}

/** True for a JSON object (not an array, not null). */
export function isDataObject(value: unknown): value is SessionData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
