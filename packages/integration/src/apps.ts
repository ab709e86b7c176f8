import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RoutePolicy, Session, SessionData, SessionManager } from '@sess/core';
import { session as expressSession } from '@sess/express';
import { Client, type SuiteRequest } from '@sess/http-test-suite';
import { session as koaSession } from '@sess/koa';
import express, { type ErrorRequestHandler } from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';
import { onTestFinished } from 'vitest';

/** The framework majors the adapters support. */
export type Framework = 'Koa 3' | 'Koa 2' | 'Express 5' | 'Express 4';

/** Every supported major, Koa's first. */
export const FRAMEWORKS: readonly Framework[] = ['Koa 3', 'Express 5', 'Koa 2', 'Express 4'];

/** What a route sees: the suite's request shape, plus the app's manager (owners, revocation). */
export interface AppRequest extends SuiteRequest {
  manager: SessionManager;
}

/** What a route answers (a rejection goes to the framework's error handling). */
export interface AppResponse {
  status?: number;
  body?: string;
}

/** A route handler of an app. */
export type AppHandler = (request: AppRequest) => Promise<AppResponse>;

/** Options of {@link serveApp}. */
export interface AppOptions {
  manager: SessionManager;
  /** The route policy per path (read-only, fail-open). */
  policy?: (path: string) => RoutePolicy | undefined;
}

/** A running app on a real socket. */
export interface App {
  url: string;
  framework: Framework;
  /** Every error that reached the framework's error handling, in order. */
  errors: unknown[];
  /** A browser-like client of this app. */
  client(): Client;
  close(): Promise<void>;
}

function requestOf(
  manager: SessionManager,
  method: string,
  url: string,
  getSession: () => Promise<Session<SessionData>>,
  current: () => Session<SessionData> | undefined,
): AppRequest {
  const parsed = new URL(url, 'http://localhost');
  return {
    method,
    path: parsed.pathname,
    query: parsed.searchParams,
    getSession,
    get session() {
      return current();
    },
    manager,
  };
}

async function listen(
  server: ReturnType<typeof createServer>,
): Promise<{ url: string; close(): Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * A Koa app: an outermost middleware records each error and rethrows it to Koa's own error handling
 * (status = the error's `status`, else 500; headers set before it are dropped), then the session
 * middleware, then `handler`.
 */
function koaApp(KoaClass: typeof Koa, options: AppOptions, handler: AppHandler, errors: unknown[]) {
  const app = new KoaClass();
  app.silent = true;
  app.use(async (_ctx, next) => {
    try {
      await next();
    } catch (error) {
      errors.push(error);
      throw error;
    }
  });
  app.use(koaSession({ manager: options.manager, policy: (ctx) => options.policy?.(ctx.path) }));
  app.use(async (ctx) => {
    const response = await handler(
      requestOf(
        options.manager,
        ctx.method,
        ctx.url,
        () => ctx.getSession(),
        () => ctx.session,
      ),
    );
    ctx.status = response.status ?? 200;
    ctx.type = 'text/plain';
    ctx.body = response.body ?? '';
  });
  return createServer(app.callback());
}

/** An Express app: the session middleware, `handler` (rejections go to `next`), and an error handler that records. */
function expressApp(factory: typeof express, options: AppOptions, handler: AppHandler, errors: unknown[]) {
  const sessions = expressSession({
    manager: options.manager,
    policy: (req) => options.policy?.(new URL(req.url ?? '/', 'http://localhost').pathname),
  });
  const app = factory();
  app.use(sessions);
  app.use((req, res, next) => {
    handler(
      requestOf(
        options.manager,
        req.method,
        req.url,
        () => sessions.getSession(req),
        () => (req as { session?: Session<SessionData> }).session,
      ),
    ).then((response) => {
      res
        .status(response.status ?? 200)
        .type('text/plain')
        .send(response.body ?? '');
    }, next);
  });
  const recordErrors: ErrorRequestHandler = (error, _req, res, _next) => {
    errors.push(error);
    res
      .status(typeof error?.status === 'number' ? error.status : 500)
      .type('text/plain')
      .send(String(error?.code ?? 'error'));
  };
  app.use(recordErrors);
  return createServer(app);
}

/** Starts `handler` behind the session middleware of `framework` on 127.0.0.1:0, closed when the test ends. */
export async function serveApp(framework: Framework, options: AppOptions, handler: AppHandler): Promise<App> {
  const errors: unknown[] = [];
  const server =
    framework === 'Koa 3'
      ? koaApp(Koa, options, handler, errors)
      : framework === 'Koa 2'
        ? koaApp(Koa2, options, handler, errors)
        : expressApp(framework === 'Express 5' ? express : express4, options, handler, errors);
  const { url, close } = await listen(server);
  onTestFinished(close);
  return { url, framework, errors, client: () => new Client(url), close };
}
