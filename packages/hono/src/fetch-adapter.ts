import type { SessionData } from '@sess/core';
import {
  applyCommit,
  type HeaderSink,
  type RequestBinding,
  type RequestFacts,
  type ResponseAccess,
} from '@sess/core/adapter';

/**
 * What the session kit reads off a web-standard `Request`: its `Cookie` header, any header by name (for
 * `tokenHeader`), and whether its URL is `https:` (for `cookieSecure: 'auto'`; behind a proxy that ends
 * TLS the URL says `http:`, so set `cookieSecure: true` there).
 */
export function requestFacts(request: Request): RequestFacts {
  return new FetchFacts(request);
}

/** {@link requestFacts}: one object per request, its methods on the prototype (called only when configured). */
class FetchFacts implements RequestFacts {
  readonly cookieHeader: string | null;

  constructor(readonly request: Request) {
    this.cookieHeader = request.headers.get('cookie');
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }

  secure(): boolean {
    return this.request.url.startsWith('https:');
  }
}

/**
 * The headers of a `Response`, as the kit writes them. A response whose headers are immutable
 * (`Response.redirect()`, a `fetch()` result) is copied on the first write; {@link response} is then the
 * copy, with the same status and body.
 */
export class ResponseHeaders implements HeaderSink {
  #checked = false;
  /** Whether anything was written. */
  written = false;

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
    this.written = true;
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
 * The response as a commit asked for during the handler (koa-session's `manuallyCommit()`) sees it: the
 * handler's `Response` does not exist yet, so that commit does its store I/O at once and only notes that
 * it had headers to write; {@link commitResponse} writes them onto the response.
 */
export class PendingResponse implements ResponseAccess, HeaderSink {
  /** Whether a commit had headers to write before the response existed. */
  written = false;
  readonly headers: HeaderSink = this;

  status(): number {
    return 200;
  }

  get(): undefined {
    return undefined;
  }

  set(): void {
    this.written = true;
  }

  append(): void {
    this.written = true;
  }
}

/**
 * Commits the request's session into `response`: the response itself when no commit can be needed
 * (synchronously), otherwise a promise of it (or of its copy, when its headers were immutable) with the
 * session's `Set-Cookie`, `Cache-Control` and `Vary` headers, also when the handler committed early through
 * `pending`. A store failure rejects, and nothing was written to the response.
 */
export function commitResponse<Data extends SessionData>(
  binding: RequestBinding<Data>,
  response: Response,
  pending: PendingResponse,
): Response | Promise<Response> {
  const sink = new ResponseHeaders(response);
  const committed = binding.commitBeforeHeaders(response.status, sink);
  if (committed === undefined) return response;
  return committed.then(async () => {
    if (pending.written && !sink.written) {
      const result = await binding.commit(response.status);
      if (result) applyCommit(result, sink);
    }
    return sink.response;
  });
}
