/** A Set-Cookie header, parsed: attribute names lower-cased, flags as `true`. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string | true>;
}

/** Parses one Set-Cookie header value. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at === -1) attributes.set(part.trim().toLowerCase(), true);
    else attributes.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** One answer of the site. */
export interface Reply {
  status: number;
  text: string;
  headers: Headers;
  setCookies: SetCookie[];
  /** The Set-Cookie of the session cookie, if any. */
  session: SetCookie | undefined;
}

/** The cookie the site's sessions use (Django's default name). */
export const SESSION_COOKIE = 'sessionid';

/**
 * A cookie jar over fetch: keeps what Set-Cookie says (deleting on `Max-Age=0`), sends it back, never
 * follows redirects (tests look at each response).
 */
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  /** The session cookie's current value. */
  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  get(path: string): Promise<Reply> {
    return this.request('GET', path);
  }

  /** POSTs `fields` url-encoded (or `body` as given, with `type`). */
  post(
    path: string,
    fields: Record<string, string>,
    type = 'application/x-www-form-urlencoded',
  ): Promise<Reply> {
    return this.request('POST', path, new URLSearchParams(fields).toString(), type);
  }

  async request(method: string, path: string, body?: string, type?: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (type !== undefined) headers['content-type'] = type;
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      redirect: 'manual',
      ...(body !== undefined ? { body } : {}),
    });
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of setCookies) {
      if (cookie.attributes.get('max-age') === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return {
      status: response.status,
      text: await response.text(),
      headers: response.headers,
      setCookies,
      session: setCookies.find((cookie) => cookie.name === SESSION_COOKIE),
    };
  }
}

/** The count of "You have visited this page N time(s)." on a page. */
export function visitsOf(text: string): number {
  const match = /You have visited this page (\d+) time\(s\)\./.exec(text);
  if (!match) throw new Error(`no visit counter on the page:\n${text.slice(0, 2000)}`);
  return Number(match[1]);
}

/** The CSRF token of the first form on a page. */
export function tokenOf(text: string): string {
  const match = /name="csrf_token" value="([^"]+)"/.exec(text);
  if (!match?.[1]) throw new Error(`no CSRF token on the page:\n${text.slice(0, 2000)}`);
  return match[1];
}

/** The user the page says is logged in, or undefined. */
export function userOf(text: string): string | undefined {
  return /You are logged in as <strong>([^<]+)<\/strong>/.exec(text)?.[1];
}
