import type { Session } from '@sess/core';
import type { AdapterUnderTest, RunningServer } from '@sess/http-test-suite';
import Fastify, { type FastifyInstance } from 'fastify';
import { type FastifySessionOptions, session } from '../src/index.js';

/** Listens on a free port of 127.0.0.1 and returns the URL and an awaitable close. */
export async function listen(app: FastifyInstance): Promise<RunningServer> {
  let url: string;
  try {
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    url,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** The plugin on Fastify 5, for the HTTP suite. */
export const fastifyAdapter: AdapterUnderTest = {
  async start(setup, handler) {
    const { cookieFor } = setup;
    const options = {
      ...setup.options,
      ...(cookieFor ? { cookieFor: (request) => cookieFor(request.url.split('?')[0] ?? '/') } : {}),
    } as FastifySessionOptions;
    const app = Fastify();
    app.register(session, options);
    app.all('/*', async (request, reply) => {
      const url = new URL(request.url, 'http://localhost');
      const response = await handler({
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        // The suite's routes use any key: the session as the untyped Session.
        getSession: () => request.getSession() as Promise<unknown> as Promise<Session>,
        get session() {
          return request.session as unknown as Session;
        },
      });
      reply.code(response.status ?? 200).type('text/plain');
      return response.body ?? '';
    });
    return listen(app);
  },
};

/**
 * The adapter on every supported Fastify major, by name (Fastify 5), for the integration tests' engines:
 * `describeAdapter(name, adapter, { storage })` (see @sess/http-test-suite's README).
 */
export const fastifyAdapters: Record<string, AdapterUnderTest> = { 'Fastify 5': fastifyAdapter };
