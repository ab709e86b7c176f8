import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AdapterUnderTest, RunningServer, SuiteResponse } from '@sess/http-test-suite';
import { type Context, Hono } from 'hono';
import { type HonoSessionOptions, session, withSession } from '../src/index.js';

/** Serves a fetch handler on a free port of 127.0.0.1 through @hono/node-server. */
export async function listen(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<RunningServer> {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
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

/** The status an error asks for (`SessionInterrupted` is a 400), else 500. */
export function statusOf(error: unknown): number {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : 500;
}

/** Answers an error as an app's error handler would: its message and status. */
export function errorResponse(error: unknown): Response {
  return new Response(error instanceof Error ? error.message : 'error', { status: statusOf(error) });
}

function textResponse(response: SuiteResponse): Response {
  return new Response(response.body ?? '', {
    status: response.status ?? 200,
    headers: { 'content-type': 'text/plain' },
  });
}

/** The Hono middleware, for the HTTP suite: `app.onError` answers errors with their status. */
export const honoAdapter: AdapterUnderTest = {
  async start(setup, handler) {
    const { cookieFor } = setup;
    const options: HonoSessionOptions = {
      ...setup.options,
      ...(cookieFor ? { cookieFor: (c: Context) => cookieFor(c.req.path) } : {}),
    };
    const app = new Hono().use(session(options));
    app.onError((error) => errorResponse(error));
    app.all('*', async (c) => {
      const url = new URL(c.req.url);
      const response = await handler({
        method: c.req.method,
        path: c.req.path,
        query: url.searchParams,
        getSession: () => c.var.getSession(),
        get session() {
          return c.var.session;
        },
      });
      return textResponse(response);
    });
    return listen(app.fetch);
  },
};

/** The bare fetch-handler adapter (`withSession`), for the HTTP suite: errors answered with their status. */
export const fetchAdapter: AdapterUnderTest = {
  async start(setup, handler) {
    const { cookieFor } = setup;
    const wrapped = withSession(
      {
        ...setup.options,
        ...(cookieFor ? { cookieFor: (request: Request) => cookieFor(new URL(request.url).pathname) } : {}),
      },
      async (request, context) => {
        const url = new URL(request.url);
        return textResponse(
          await handler({
            method: request.method,
            path: url.pathname,
            query: url.searchParams,
            getSession: () => context.getSession(),
            get session() {
              return context.session;
            },
          }),
        );
      },
    );
    return listen((request) => wrapped(request).catch(errorResponse));
  },
};

/** Every adapter of the package, by name. Engines can run the HTTP suite over their own storage with them. */
export const honoAdapters: Record<string, AdapterUnderTest> = {
  'Hono 4 on @hono/node-server': honoAdapter,
  'a fetch handler on @hono/node-server': fetchAdapter,
};
