import { parseSetCookie, type SetCookie } from '@sess/http-test-suite';

/** What {@link AppClient} answers: the response, its body and its parsed `Set-Cookie` headers. */
export interface AppResponse {
  status: number;
  headers: Headers;
  body: string;
  setCookies: SetCookie[];
}

/** A browser-like client over an app's `request()` (Hono's in-process test entry): keeps the cookies. */
export class AppClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: { request(input: string, init?: RequestInit): Response | Promise<Response> },
    private readonly base = 'http://example.test',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<AppResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.app.request(`${this.base}${path}`, {
      headers: cookie ? { cookie, ...headers } : headers,
    });
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const set of setCookies) {
      if (Number(set.attributes.get('max-age') ?? 1) <= 0) this.cookies.delete(set.name);
      else this.cookies.set(set.name, set.value);
    }
    return { status: response.status, headers: response.headers, body: await response.text(), setCookies };
  }
}
