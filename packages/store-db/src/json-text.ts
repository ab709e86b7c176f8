import type { SessionData } from '@sess/core/store';

/**
 * `jsonb` refuses two things JSON itself allows: the NUL character (`\u0000`, PostgreSQL text cannot hold
 * it) and unpaired UTF-16 surrogates (`\ud800`). Both reach the JSON text as `\uXXXX` escapes, so those
 * escapes are rewritten into a private-use marker before the text goes to PostgreSQL, and restored after:
 *
 * - `U+E000` (the marker itself) is stored as `U+E000 1`;
 * - `\u0000` and an unpaired `\udXXX` are stored as `U+E000 2 XXXX` (the four hex digits).
 *
 * The mapping is reversible for every string, so data round-trips exactly; only strings holding these
 * characters look different in the table. Text without them passes through untouched.
 */
const MARKER = '\uE000';
const REFUSED_ESCAPE = /(\\+)u(0000|d[89a-f][0-9a-f]{2})/gi;
const STORED_FORM = /\uE000(?:1|2([0-9a-fA-F]{4}))/g;

/** Rewrites JSON text (as `JSON.stringify` writes it) so `jsonb` accepts it. */
export function encodeJsonText(json: string): string {
  if (!json.includes('\\u') && !json.includes(MARKER)) return json;
  return json
    .replaceAll(MARKER, `${MARKER}1`)
    .replace(REFUSED_ESCAPE, (match: string, slashes: string, hex: string) =>
      // An even run of backslashes is escaped backslashes followed by a literal "u…", not an escape.
      slashes.length % 2 === 1 ? `${slashes.slice(1)}${MARKER}2${hex}` : match,
    );
}

/** Restores JSON text read from `jsonb` (`data::text`) to what {@link encodeJsonText} was given. */
export function decodeJsonText(stored: string): string {
  if (!stored.includes(MARKER)) return stored;
  return stored.replace(STORED_FORM, (_match: string, hex: string | undefined) =>
    hex === undefined ? MARKER : `\\u${hex.toLowerCase()}`,
  );
}

/** Session data as the JSON text to bind to a `$n::jsonb` parameter. */
export const encodeData = (data: SessionData | Record<string, unknown>): string =>
  encodeJsonText(JSON.stringify(data));

/** Session data from the `data::text` column. */
export const decodeData = (stored: string): SessionData => JSON.parse(decodeJsonText(stored)) as SessionData;

/** A top-level key as `jsonb` stores it (for `data - $keys::text[]`). */
export const encodeKey = (key: string): string => JSON.parse(encodeJsonText(JSON.stringify(key))) as string;
