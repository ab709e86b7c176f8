import type { SessionData } from '@sess/core';
import type { HeaderSink, RequestBinding, RequestFacts, ResponseAccess } from '@sess/core/adapter';

/**
 * What the session kit reads off a web-standard `Request`: its `Cookie` header, any header by name (for
 * `tokenHeader`), and whether its URL is `https:` (for `cookieSecure: 'auto'`; behind a proxy that ends
 * TLS the URL says `http:`, so set `cookieSecure: true` there).
 */
export function requestFacts(request: Request): RequestFacts {
  const headers = request.headers;
  return {
    cookieHeader: headers.get('cookie'),
    header: (name) => headers.get(name) ?? undefined,
    secure: () => request.url.startsWith('https:'),
  };
}

/**
 * The headers of a `Response`, as the kit writes them. A response whose headers are immutable
 * (`Response.redirect()`, a `fetch()` result) is copied on the first write; {@link response} is then the
 * copy, with the same status and body.
 */
export class ResponseHeaders implements HeaderSink {
  #checked = false;

  constructor(
    /** The response the headers are on: the one given, or its copy once a write needed one. */
    public response: Response,
  ) {}

  get(name: string): string | null {
    return this.response.headers.get(name);
  }

  set(name: string, value: string): void {
    this.#writable().set(name, value);
  }

  append(name: string, value: string): void {
    this.#writable().append(name, value);
  }

  #writable(): Headers {
    if (this.#checked) return this.response.headers;
    this.#checked = true;
    try {
      // A write that changes nothing tells a mutable Headers from an immutable one, which throws a TypeError.
      this.response.headers.delete('x-sess-probe');
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      this.response = new Response(this.response.body, this.response);
    }
    return this.response.headers;
  }
}

/**
 * Commits the request's session into `response`: the response itself when no commit can be needed
 * (synchronously), otherwise a promise of it (or of its copy, when its headers were immutable) with the
 * session's `Set-Cookie`, `Cache-Control` and `Vary` headers. A store failure rejects, and nothing was
 * written to the response.
 */
export function commitResponse<Data extends SessionData>(
  binding: RequestBinding<Data>,
  response: Response,
): Response | Promise<Response> {
  const sink = new ResponseHeaders(response);
  const pending = binding.commitBeforeHeaders(response.status, sink);
  return pending === undefined ? response : pending.then(() => sink.response);
}

/**
 * The response as a commit asked for by the handler (koa-session's `manuallyCommit()`) sees it: a fetch
 * handler's response does not exist yet, so that commit does its store I/O now and its headers go on the
 * response with {@link commitResponse}, which shares the commit's result.
 */
export const DEFERRED_RESPONSE: ResponseAccess = {
  status: () => 200,
  headers: { get: () => undefined, set() {}, append() {} },
};
