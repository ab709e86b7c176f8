import type { CookieJar } from './store/backend-contract.js';

/** SameSite values as the Set-Cookie header spells them; `false` omits the attribute. */
export type SameSite = 'Lax' | 'Strict' | 'None' | false;

/** Attributes of a Set-Cookie header. */
export interface CookieAttributes {
  domain?: string | undefined;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
  priority?: 'Low' | 'Medium' | 'High' | undefined;
  /** Seconds; null for a browser-session cookie. */
  maxAge: number | null;
  /** ms since the epoch, written as `Expires`; null to omit. */
  expires: number | null;
}

const EMPTY_JAR: CookieJar = { get: () => undefined, names: () => [] };

/** The value of one `name=value` segment of a Cookie header, trimmed and without surrounding quotes. */
function cookieValue(header: string, start: number, end: number): string {
  let value = header.slice(start, end).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return value;
}

/**
 * Reads a header's `name=value` segments in order: returns the value of the first one named `wanted`, or,
 * with `wanted` undefined, adds every name to `names`. Linear in the header: the next `=` is looked for
 * once, not again from every segment (a header of many segments without one would otherwise be searched
 * to its end from each).
 */
function readSegments(header: string, wanted: string | undefined, names?: Set<string>): string | undefined {
  let start = 0;
  let eq = header.indexOf('=');
  while (eq >= 0 && start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    if (eq < start) {
      eq = header.indexOf('=', start);
      if (eq < 0) break;
    }
    if (eq > start && eq < end) {
      const name = header.slice(start, eq).trim();
      if (wanted === undefined) {
        if (name) names?.add(name);
      } else if (name === wanted) {
        return cookieValue(header, eq + 1, end);
      }
    }
    start = end + 1;
  }
  return undefined;
}

/** The names of a header's cookies, each once, without reading their values. */
function namesIn(header: string): Set<string> {
  const names = new Set<string>();
  readSegments(header, undefined, names);
  return names;
}

/** The first cookie named `name` in a header, found without splitting the rest of it. */
function scan(header: string, name: string): string | undefined {
  return readSegments(header, name);
}

/**
 * The cookies of one request. Most requests ask for one name (the session cookie), so `get` scans the header
 * for it alone and keeps the answer; listing the names (to find chunk cookies) reads names only.
 */
class HeaderJar implements CookieJar {
  readonly #header: string;
  #name: string | undefined;
  #value: string | undefined;

  constructor(header: string) {
    this.#header = header;
  }

  get(name: string): string | undefined {
    if (name !== this.#name) {
      this.#name = name;
      this.#value = scan(this.#header, name);
    }
    return this.#value;
  }

  names(): Iterable<string> {
    return namesIn(this.#header);
  }
}

/**
 * Parses a Cookie request header into a jar. The first occurrence of a name wins (browsers send the
 * most specific path first); surrounding double quotes are removed; nothing is URI-decoded because
 * no value sess issues needs it.
 */
export function parseCookieHeader(header: string | undefined | null): CookieJar {
  return header ? new HeaderJar(header) : EMPTY_JAR;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
// Printable ASCII without space or ';': what may follow `Domain=` and `Path=` without starting a new attribute.
const ATTRIBUTE_VALUE = /^[\x21-\x3A\x3C-\x7E]*$/;

/** True when `name` is an RFC 6265 cookie name. */
export function isCookieName(name: string): boolean {
  return TOKEN.test(name);
}

/** Formats one Set-Cookie header value. `value: null` deletes the cookie (empty value, `Max-Age=0`). */
export function serializeSetCookie(name: string, value: string | null, attributes: CookieAttributes): string {
  if (!TOKEN.test(name)) {
    throw new TypeError(`[@sess/core] ${JSON.stringify(name)} is not a valid cookie name`);
  }
  checkAttribute(name, 'Domain', attributes.domain);
  checkAttribute(name, 'Path', attributes.path);
  return formatSetCookie(name, value, attributes);
}

/**
 * {@link serializeSetCookie} for a name and attributes already checked (the manager's own, validated when
 * it was built): only the value is checked.
 */
export function formatSetCookie(name: string, value: string | null, attributes: CookieAttributes): string {
  if (value !== null && !VALUE.test(value)) {
    throw new TypeError(`[@sess/core] cookie ${name} has a value that is not a valid cookie-octet string`);
  }
  return `${name}=${value ?? ''}${attributesText(value === null, attributes)}`;
}

/** The attributes part of the last Set-Cookie formatted, and what it was formatted from. */
const lastAttributes = {
  deletes: false,
  domain: undefined as string | undefined,
  path: '',
  /** The second of `expires` (the only precision `Expires` has), or null. */
  expiresSecond: null as number | null,
  maxAge: null as number | null,
  secure: false,
  httpOnly: false,
  sameSite: false as SameSite,
  partitioned: false,
  priority: undefined as CookieAttributes['priority'],
  text: undefined as string | undefined,
};

/**
 * Everything after a Set-Cookie's value: `; Path=/; Expires=…; Max-Age=…; …`. Responses in the same second
 * with the same settings write the same text, so the last one is kept and reused.
 */
function attributesText(deletes: boolean, attributes: CookieAttributes): string {
  const last = lastAttributes;
  const expiresSecond = attributes.expires === null ? null : Math.floor(attributes.expires / 1000);
  if (
    last.text !== undefined &&
    last.deletes === deletes &&
    last.domain === attributes.domain &&
    last.path === attributes.path &&
    last.expiresSecond === expiresSecond &&
    last.maxAge === attributes.maxAge &&
    last.secure === attributes.secure &&
    last.httpOnly === attributes.httpOnly &&
    last.sameSite === attributes.sameSite &&
    last.partitioned === attributes.partitioned &&
    last.priority === attributes.priority
  )
    return last.text;
  let text = '';
  if (attributes.domain) text += `; Domain=${attributes.domain}`;
  text += `; Path=${attributes.path}`;
  if (deletes) {
    text += '; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0';
  } else {
    if (attributes.expires !== null) text += `; Expires=${new Date(attributes.expires).toUTCString()}`;
    if (attributes.maxAge !== null) text += `; Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`;
  }
  if (attributes.secure) text += '; Secure';
  if (attributes.httpOnly) text += '; HttpOnly';
  if (attributes.sameSite) text += `; SameSite=${attributes.sameSite}`;
  if (attributes.partitioned) text += '; Partitioned';
  if (attributes.priority) text += `; Priority=${attributes.priority}`;
  Object.assign(last, {
    deletes,
    domain: attributes.domain,
    path: attributes.path,
    expiresSecond,
    maxAge: attributes.maxAge,
    secure: attributes.secure,
    httpOnly: attributes.httpOnly,
    sameSite: attributes.sameSite,
    partitioned: attributes.partitioned,
    priority: attributes.priority,
    text,
  });
  return text;
}

function checkAttribute(name: string, attribute: string, text: string | undefined): void {
  if (text !== undefined && !ATTRIBUTE_VALUE.test(text)) {
    throw new TypeError(
      `[@sess/core] cookie ${name}: ${attribute} ${JSON.stringify(text)} contains a space, ';' or a control character`,
    );
  }
}
