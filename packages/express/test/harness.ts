import { once } from 'node:events';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterUnderTest, RunningServer } from '@sess/http-test-suite';
import type { ErrorRequestHandler } from 'express';
import express from 'express';
import express4 from 'express4';
import { type ExpressSessionOptions, session } from '../src/index.js';

/** Express 4 or 5, as the default export of `express` / `express4`. */
export type ExpressFactory = typeof express;

/** Listens on a free port of 127.0.0.1 and returns the URL and an awaitable close. */
export async function listen(app: RequestListener): Promise<RunningServer> {
  const server = createServer(app);
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

/** Answers errors with their `status` (else 500) and their `code` as the body. */
export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  res
    .status(typeof error.status === 'number' ? error.status : 500)
    .type('text/plain')
    .send(String(error.code ?? 'error'));
};

/** The adapter on one Express major, for the HTTP suite. */
export function expressAdapter(factory: ExpressFactory): AdapterUnderTest {
  return {
    async start(setup, handler) {
      const { cookieFor } = setup;
      const options: ExpressSessionOptions = {
        ...setup.options,
        ...(cookieFor
          ? { cookieFor: (req) => cookieFor(new URL(req.url ?? '/', 'http://localhost').pathname) }
          : {}),
      };
      const sessions = session(options);
      const app = factory();
      app.use(sessions);
      app.use((req, res, next) => {
        handler({
          method: req.method,
          path: req.path,
          query: new URLSearchParams(req.url.split('?')[1] ?? ''),
          getSession: () => sessions.getSession(req),
          get session() {
            return req.session;
          },
        }).then((response) => {
          res
            .status(response.status ?? 200)
            .type('text/plain')
            .send(response.body ?? '');
        }, next);
      });
      app.use(errorHandler);
      return listen(app);
    },
  };
}

/**
 * The adapter on every supported Express major, by name. Engines can run the HTTP suite over their own
 * storage with it: `describeAdapter(name, adapter, { storage })` (see @sess/http-test-suite's README).
 */
export const expressAdapters: Record<string, AdapterUnderTest> = {
  'Express 5': expressAdapter(express),
  'Express 4': expressAdapter(express4),
};
