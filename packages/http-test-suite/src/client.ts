/** One `Set-Cookie` header, parsed. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case, mapped to their value ('' for flags such as HttpOnly). */
  attributes: Map<string, string>;
}

/** Parses a `Set-Cookie` header value. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    const name = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    attributes.set(name, at === -1 ? '' : part.slice(at + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** A response with its `Set-Cookie` headers parsed and its body read. */
export interface ClientResponse {
  status: number;
  headers: Headers;
  body: string;
  setCookies: SetCookie[];
}

/** A browser-like client over real `fetch`: keeps the cookies the server sets and sends them back. */
export class Client {
  readonly #base: string;
  /** The cookies the client holds, by name. */
  readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.#base = base;
  }

  /** The `Cookie` header the client would send, or undefined. */
  get cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Sends a request, with the held cookies unless `init.headers` has its own `cookie`. */
  async request(
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<ClientResponse> {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader;
    if (cookie !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'cookie')) {
      headers.cookie = cookie;
    }
    const response = await fetch(new URL(path, this.#base), { redirect: 'manual', ...init, headers });
    const body = await response.text();
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const set of setCookies) {
      const maxAge = set.attributes.get('max-age');
      if (maxAge !== undefined && Number(maxAge) <= 0) this.cookies.delete(set.name);
      else this.cookies.set(set.name, set.value);
    }
    return { status: response.status, headers: response.headers, body, setCookies };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<ClientResponse> {
    return this.request(path, { headers });
  }
}
