import { type FastifySessionOptions, session } from '@sess/fastify';
import Fastify from 'fastify';
import { sessEngine } from './sess-engines.js';
import { listen, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

/**
 * @sess/fastify on any sess engine: lazy `await request.getSession()`, Secure cookie behind a TLS proxy
 * (`trustProxy`), served by Fastify's own request handling (`app.routing`) on the bench's `node:http` server.
 */
export const start: StartContender = async (options) => {
  const engine = await sessEngine(options);
  const app = Fastify({ trustProxy: true });
  app.register(session, { ...engine.options, cookieSecure: true } as FastifySessionOptions);
  app.get('/visit', async (request) => {
    const s = await request.getSession();
    const visits = visitsOf(s.get(VISITS)) + 1;
    s.set(VISITS, visits);
    return visitsBody(visits);
  });
  app.get('/read', async (request) => {
    const s = await request.getSession();
    return visitsBody(visitsOf(s.get(VISITS)));
  });
  app.get('/static', async () => STATIC_BODY);
  await app.ready();
  return listen((req, res) => app.routing(req, res), options.port, engine.close);
};
