/** What one request answered. */
export interface Reply {
  status: number;
  body: string;
  /** `name=value` of each Set-Cookie (attributes dropped); `name=` for a deletion. */
  setCookies: string[];
}

/** The header every request carries: the contenders sit behind a TLS-terminating proxy. */
export const PROXY_HEADERS = { 'X-Forwarded-Proto': 'https' } as const;

/** GET `url + path` with an optional Cookie header. */
export async function get(url: string, path: string, cookie?: string): Promise<Reply> {
  const response = await fetch(url + path, {
    headers: { ...PROXY_HEADERS, ...(cookie ? { Cookie: cookie } : {}) },
  });
  const body = await response.text();
  const setCookies = response.headers.getSetCookie().map((line) => {
    const pair = line.split(';', 1)[0] ?? '';
    return /;\s*max-age=0\b/i.test(line) ? `${pair.split('=', 1)[0]}=` : pair;
  });
  return { status: response.status, body, setCookies };
}

/** A browser's cookie store for one site, reduced to what the bench needs. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Applies a reply's Set-Cookie lines (an empty value deletes). */
  update(setCookies: readonly string[]): this {
    for (const pair of setCookies) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return this;
  }

  /** The Cookie header to send, or undefined when empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
