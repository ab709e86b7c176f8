import type { SuiteHandler, SuiteRequest, SuiteResponse } from './types.js';

/** The session's data as the response body. */
async function show(request: SuiteRequest): Promise<SuiteResponse> {
  const session = await request.getSession();
  return { body: JSON.stringify(session.toJSON()) };
}

/**
 * The routes most tests use, by path:
 * - `/none`: never asks for the session;
 * - `/count`: the LocalLibrary counter: increments `num_visits`, answers the new value;
 * - `/read`: answers the data as JSON without changing it;
 * - `/set?name=value…`: stores each query parameter;
 * - `/expiry?seconds=N` (`null` for the default): stores `num_visits` and sets the expiry;
 * - `/flush`, `/cycle`: `flush()` / `cycleKey()`, answering the data;
 * - `/status?code=N`: stores `num_visits` and answers with status N;
 * - `/sync`: answers from the synchronous `session` property; before the load it throws
 *   `SessionNotLoaded`, answered as `not loaded: <code>` naming the ways out;
 * - `/twice`: asks for the session twice concurrently, answers whether both are one object.
 */
export const standardRoutes: SuiteHandler = async (request) => {
  switch (request.path) {
    case '/none':
      return { body: 'no session here' };
    case '/count': {
      const session = await request.getSession();
      const visits = ((session.get('num_visits') as number | undefined) ?? 0) + 1;
      session.set('num_visits', visits);
      return { body: String(visits) };
    }
    case '/degraded':
      return { body: String((await request.getSession()).degraded) };
    case '/read':
      return show(request);
    case '/set': {
      const session = await request.getSession();
      for (const [name, value] of request.query) session.set(name, value);
      return { body: JSON.stringify(session.toJSON()) };
    }
    case '/expiry': {
      const session = await request.getSession();
      const seconds = request.query.get('seconds');
      session.set('num_visits', 1);
      session.setExpiry(seconds === 'null' ? null : Number(seconds));
      return { body: 'ok' };
    }
    case '/flush': {
      const session = await request.getSession();
      await session.flush();
      return show(request);
    }
    case '/cycle': {
      const session = await request.getSession();
      await session.cycleKey();
      return show(request);
    }
    case '/status': {
      const session = await request.getSession();
      session.set('num_visits', 1);
      return { status: Number(request.query.get('code')), body: 'status' };
    }
    case '/sync':
      try {
        const session = request.session;
        return { body: session ? JSON.stringify(session.toJSON()) : String(session) };
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        return { body: `not loaded: ${code} ${message}` };
      }
    case '/twice': {
      const [a, b] = await Promise.all([request.getSession(), request.getSession()]);
      return { body: String(a === b) };
    }
    default:
      return { status: 404, body: 'no such route' };
  }
};
