import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSessionError, type Session, type SessionData, type SessionManagerOptions } from '@sess/core';
import { session as expressSession } from '@sess/express';
import { session as koaSession } from '@sess/koa';
import express from 'express';
import Koa from 'koa';

/** The adapters every reliability suite runs through. */
export const ADAPTERS = ['koa', 'express'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

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

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function startKoa(options: SessionManagerOptions, errors: unknown[]): Server {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      errors.push(error);
      ctx.status = statusOf(error);
      ctx.body = { error: codeOf(error) };
    }
  });
  app.use(koaSession(options));
  app.use(async (ctx) => {
    const answer = await route(
      ctx.method,
      ctx.path,
      new URLSearchParams(ctx.querystring),
      await ctx.getSession(),
    );
    ctx.status = answer.status ?? 200;
    ctx.body = answer.body;
  });
  return createServer(app.callback());
}

function startExpress(options: SessionManagerOptions, errors: unknown[]): Server {
  const app = express();
  const sessions = expressSession(options);
  app.use(sessions);
  app.use(async (req, res) => {
    const query = new URL(req.url, 'http://app.test').searchParams;
    const answer = await route(req.method, req.path, query, await sessions.getSession(req));
    res.status(answer.status ?? 200).json(answer.body);
  });
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    errors.push(error);
    res.status(statusOf(error)).json({ error: codeOf(error) });
  });
  return createServer(app);
}

/**
 * Starts the reliability app on `adapter` with the session middleware built from `options`, on a free port
 * of 127.0.0.1. The error handler answers store failures with 503 and `{ error: code }`, and keeps the
 * error for the test.
 */
export async function startApp(
  adapter: AdapterName,
  options: SessionManagerOptions<SessionData>,
): Promise<RunningApp> {
  const errors: unknown[] = [];
  const server = adapter === 'koa' ? startKoa(options, errors) : startExpress(options, errors);
  const url = await listen(server);
  return { url, errors, close: () => closeServer(server) };
}
