import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RoutePolicy, SessionManager, SessionManagerOptions } from '@sess/core';
import { Client } from '@sess/http-test-suite';
import { onTestFinished } from 'vitest';
import { type AppHandler, type AppResponse, type Framework, frameworkEntry } from './frameworks/index.js';

/** Options of {@link serveApp}. */
export interface AppOptions {
  /** The app's manager; or give `session` (the manager's options, which the adapter takes and checks). */
  manager?: SessionManager;
  /** The manager's options handed to the adapter itself (used when `manager` is absent). */
  session?: SessionManagerOptions;
  /** The route policy per path (read-only, fail-open). */
  policy?: (path: string) => RoutePolicy | undefined;
  /** How an error that reached the framework's error handling is answered; absent: the framework's own way. */
  errorResponse?: (error: unknown) => AppResponse;
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

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
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
 * Starts `handler` behind the session middleware of `framework` on 127.0.0.1:0; the caller closes it.
 * Invalid session options reject (the adapter refuses them when the app is built).
 */
export async function startApp(framework: Framework, options: AppOptions, handler: AppHandler): Promise<App> {
  const errors: unknown[] = [];
  const session = options.manager ? { manager: options.manager } : options.session;
  if (!session) throw new TypeError('startApp: give a manager or the session options');
  const server = await frameworkEntry(framework).server({
    session,
    policy: options.policy,
    handler,
    errorResponse: options.errorResponse,
    errors,
  });
  const { url, close } = await listen(server);
  return { url, framework, errors, client: () => new Client(url), close };
}

/** {@link startApp}, closed when the test ends. */
export async function serveApp(framework: Framework, options: AppOptions, handler: AppHandler): Promise<App> {
  const app = await startApp(framework, options, handler);
  onTestFinished(app.close);
  return app;
}
