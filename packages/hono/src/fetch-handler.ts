import type { SessionData, SessionManager } from '@sess/core';
import { type AdapterInput, type CompatSession, createSessionAdapter } from '@sess/core/adapter';
import { commitResponse, PendingResponse, requestFacts } from './fetch-adapter.js';

/** What a fetch handler wrapped by {@link withSession} gets beside the request. */
export interface FetchSessionContext<Data extends SessionData = SessionData> {
  /** Loads the session once (no store I/O until called) and returns it; later calls return the same object. */
  getSession(): Promise<CompatSession<Data>>;
  /**
   * The session once loaded (`eager`, or after `await context.getSession()`); reading it before throws
   * `SessionNotLoaded`. Undefined after `session.destroy()`.
   */
  readonly session: CompatSession<Data>;
}

/**
 * Options of {@link withSession}: the manager's (`store`, `cookieName`, …, see `@sess/core`), plus
 * `eager`, `cookieFor` and `policy`, each a function of the `Request` when it varies; or a prebuilt `manager`.
 */
export type FetchSessionOptions<Data extends SessionData = SessionData> = AdapterInput<Data, Request>;

/** A fetch handler with the session as its second argument; runtime arguments (env, server…) follow. */
export type SessionFetchHandler<Data extends SessionData, Rest extends unknown[]> = (
  request: Request,
  context: FetchSessionContext<Data>,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * Wraps a web-standard fetch handler (`(request) => Response`, as `Bun.serve`, `Deno.serve`, a Workers
 * module or `@hono/node-server` take) with a session: the handler receives `context.getSession()`, and the
 * session is committed into the `Response` it returns. When the handler throws, nothing is committed and
 * the error propagates; a store failure in the commit rejects the returned promise.
 */
export function withSession<Data extends SessionData = SessionData, Rest extends unknown[] = []>(
  options: FetchSessionOptions<Data>,
  handler: SessionFetchHandler<Data, Rest>,
): ((request: Request, ...rest: Rest) => Promise<Response>) & { readonly manager: SessionManager<Data> } {
  const adapter = createSessionAdapter<Data, Request>(options, {
    source: '@sess/hono',
    property: 'context.session',
    regenerate: 'new-session',
  });

  const fetch = async (request: Request, ...rest: Rest): Promise<Response> => {
    const pending = new PendingResponse();
    const binding = adapter.open(request, requestFacts(request), pending);
    const context: FetchSessionContext<Data> = {
      getSession: () => binding.getSession(),
      get session() {
        return binding.read() as CompatSession<Data>;
      },
    };
    if (adapter.eager(request)) await binding.getSession();
    return commitResponse(binding, await handler(request, context, ...rest), pending);
  };
  return Object.assign(fetch, { manager: adapter.manager });
}
