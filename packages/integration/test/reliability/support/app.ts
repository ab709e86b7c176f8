import { isSessionError, type Session, type SessionData, type SessionManagerOptions } from '@sess/core';
import {
  ADAPTER_NAMES,
  type AdapterName,
  type AppHandler,
  newestOf,
  startApp as startFramework,
} from '../../../src/index.js';

/** The adapters every reliability suite runs through (each on its newest major), by package short name. */
export const ADAPTERS = ADAPTER_NAMES;
export type { AdapterName };

/** A running app: its base URL, the errors its error handler saw, and a close that ends every socket. */
export interface RunningApp {
  url: string;
  /** Every error that reached the app's error handler, in order. */
  errors: unknown[];
  close(): Promise<void>;
}

/** What a route answers: a status and a JSON body. */
interface Answer {
  status?: number;
  body: unknown;
}

/** Store failures are a 503 (retry later); other session errors carry their own status or are a 500. */
export function statusOf(error: unknown): number {
  if (isSessionError(error) && (error.code === 'STORE_UNAVAILABLE' || error.code === 'STORE_TIMEOUT'))
    return 503;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 500;
}

const codeOf = (error: unknown): string => (isSessionError(error) ? error.code : 'INTERNAL');

/**
 * The routes of every reliability app, the same on each adapter:
 * - `GET /count?tag=T`: adds one to `count` (and sets `tag` on a fresh session); answers both and whether
 *   the session was fresh;
 * - `GET /peek`: the session's data, read only;
 * - `GET /set?k=K&v=N`: sets key `K` to the number `N`;
 * - `POST /login?user=U`: `cycleKey()`, then sets `user`; `POST /logout`: `flush()`.
 */
async function route(
  method: string,
  path: string,
  query: URLSearchParams,
  session: Session,
): Promise<Answer> {
  if (method === 'GET' && path === '/count') {
    const fresh = !session.has('count');
    const tag = query.get('tag');
    if (fresh && tag !== null) session.set('tag', tag);
    const count = (session.get('count') as number | undefined) ?? 0;
    session.set('count', count + 1);
    return { body: { count: count + 1, tag: session.get('tag'), fresh } };
  }
  if (method === 'GET' && path === '/peek') return { body: session.toJSON() };
  if (method === 'GET' && path === '/set') {
    session.set(query.get('k') ?? 'k', Number(query.get('v')));
    return { body: { ok: true } };
  }
  if (method === 'POST' && path === '/login') {
    await session.cycleKey();
    session.set('user', query.get('user') ?? 'someone');
    return { body: { ok: true } };
  }
  if (method === 'POST' && path === '/logout') {
    await session.flush();
    return { body: { ok: true } };
  }
  return { status: 404, body: { error: 'NOT_FOUND' } };
}

/** {@link route} as the app's handler: the session is loaded first, the answer sent as JSON. */
const routes: AppHandler = async (request) => {
  const answer = await route(request.method, request.path, request.query, await request.getSession());
  return { status: answer.status ?? 200, type: 'application/json', body: JSON.stringify(answer.body) };
};

/**
 * Starts the reliability app on the newest major of `adapter` with the session middleware built from
 * `options` (the adapter checks them: invalid ones reject), on a free port of 127.0.0.1. The error handler
 * answers store failures with 503 and `{ error: code }`, and keeps the error for the test.
 */
export async function startApp(
  adapter: AdapterName,
  options: SessionManagerOptions<SessionData>,
): Promise<RunningApp> {
  const app = await startFramework(
    newestOf(adapter),
    {
      session: options,
      errorResponse: (error) => ({
        status: statusOf(error),
        type: 'application/json',
        body: JSON.stringify({ error: codeOf(error) }),
      }),
    },
    routes,
  );
  return { url: app.url, errors: app.errors, close: app.close };
}
