import type { CookieJar } from '@sess/core/store';

/**
 * How a session too large for one cookie is laid out. The first cookie keeps the configured name and
 * starts with a header naming how many cookies there are, `~<count>~`; the others are `<name>.1`,
 * `<name>.2`, … and hold the rest of the value in order. `~` never starts a sealed (`s1.`) or Django
 * value, so a value without the header is a whole token. The count makes a missing chunk detectable and
 * leftovers of a larger session harmless. The pieces need no protection of their own: the joined token
 * is authenticated as a whole, so a missing, reordered or altered piece fails to open.
 */
const HEADER = /^~([1-9][0-9]?)~/;
/** Chunk suffixes this engine could have written: `1` to `99`, without leading zeros. */
const CHUNK_INDEX = /^[1-9][0-9]?$/;

/** Size limits of the cookies of one session. */
export interface CookieLimits {
  maxCookies: number;
  maxCookieBytes: number;
}

/** The name of chunk `index` (1 and up) of the session cookie `name`. */
export function chunkName(name: string, index: number): string {
  return `${name}.${index}`;
}

/** What a cookie costs against the browser's limit: its name, `=` and its value, all ASCII. */
export function cookieBytes(name: string, value: string): number {
  return name.length + 1 + value.length;
}

/**
 * Splits `token` into the values of the session cookie and its chunks (index 0 is `name` itself), using
 * as few cookies as possible; null when it needs more than `maxCookies`.
 */
export function splitToken(name: string, token: string, limits: CookieLimits): string[] | null {
  const { maxCookies, maxCookieBytes } = limits;
  if (cookieBytes(name, token) <= maxCookieBytes) return [token];
  for (let count = 2; count <= maxCookies; count++) {
    const header = `~${count}~`;
    const room = [maxCookieBytes - cookieBytes(name, header)];
    for (let index = 1; index < count; index++) {
      room.push(maxCookieBytes - cookieBytes(chunkName(name, index), ''));
    }
    if (room.some((each) => each <= 0)) return null;
    if (room.reduce((sum, each) => sum + each, 0) < token.length) continue;
    const values: string[] = [];
    let start = 0;
    for (const each of room) {
      values.push(token.slice(start, start + each));
      start += each;
    }
    values[0] = header + values[0];
    return values;
  }
  return null;
}

/**
 * Reads the token of the session cookie `name` and its chunks from the request; null when the cookie
 * is absent, a piece is missing or empty, the header names more cookies than allowed, or any cookie is
 * larger than a browser would have kept (so it did not come from this engine).
 */
export function joinToken(jar: CookieJar, name: string, limits: CookieLimits): string | null {
  const first = jar.get(name);
  if (typeof first !== 'string' || cookieBytes(name, first) > limits.maxCookieBytes) return null;
  if (!first.startsWith('~')) return first;
  const header = HEADER.exec(first);
  const count = Number(header?.[1]);
  if (!header || count < 2 || count > limits.maxCookies) return null;
  const pieces = [first.slice(header[0].length)];
  for (let index = 1; index < count; index++) {
    const chunk = chunkName(name, index);
    const value = jar.get(chunk);
    if (typeof value !== 'string' || value === '') return null;
    if (cookieBytes(chunk, value) > limits.maxCookieBytes) return null;
    pieces.push(value);
  }
  return pieces.join('');
}

/** The chunk cookies of `name` the request carries, with their index, whatever the current limit. */
export function chunksIn(jar: CookieJar, name: string): { name: string; index: number }[] {
  const prefix = `${name}.`;
  const found: { name: string; index: number }[] = [];
  for (const each of jar.names()) {
    if (!each.startsWith(prefix)) continue;
    const suffix = each.slice(prefix.length);
    if (CHUNK_INDEX.test(suffix)) found.push({ name: each, index: Number(suffix) });
  }
  return found.sort((a, b) => a.index - b.index);
}
