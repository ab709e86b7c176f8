import { Client, type RunningServer } from '@sess/http-test-suite';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { onTestFinished } from 'vitest';
import { type FastifySessionOptions, session } from '../src/index.js';
import { listen } from './harness.js';

// The data the tests keep, merged into the plugin's types as an app would (README, "Typing").
declare module '../src/types.js' {
  interface FastifySessionData {
    num_visits: number;
    items: string[];
    user: string;
    theme: string;
    passport: unknown;
    flash: unknown;
  }
}

/** A running test app: its Fastify instance, a browser-like client and every error Fastify handled. */
export interface TestApp {
  app: FastifyInstance;
  server: RunningServer;
  client(): Client;
  errors: unknown[];
}

/** What goes around the session plugin: plugins before it, routes after it. */
export interface AppSetup {
  fastify?: FastifyServerOptions;
  before?: (app: FastifyInstance) => void | Promise<void>;
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

/**
 * Starts Fastify with the plugin (`options`) and the LocalLibrary counter at `/count`, closed when the test
 * ends. Errors reaching Fastify's error handling are collected (and answered as Fastify would).
 */
export async function startApp(options: FastifySessionOptions, setup: AppSetup = {}): Promise<TestApp> {
  const app = Fastify(setup.fastify);
  const errors: unknown[] = [];
  app.addHook('onError', async (_request, _reply, error) => {
    errors.push(error);
  });
  await setup.before?.(app);
  app.register(session, options);
  app.get('/count', async (request) => {
    const s = await request.getSession();
    s.set('num_visits', (s.get('num_visits') ?? 0) + 1);
    return String(s.get('num_visits'));
  });
  await setup.routes?.(app);
  const server = await listen(app);
  onTestFinished(() => server.close());
  return { app, server, client: () => new Client(server.url), errors };
}
