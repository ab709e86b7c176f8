import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { VISITS, visitsBody, visitsOf } from '../../contenders/shared.js';
import { sessPackage } from '../engines.js';
import type { Listener } from '../handler.js';
import type { CounterSession, FrameworkApps } from './types.js';

/** Fastify 5 behind a proxy (`trustProxy`), one `app.get('/visit')` route, served by `app.routing`. */
async function listenerOf(app: FastifyInstance): Promise<Listener> {
  await app.ready();
  return (req, res) => app.routing(req, res);
}

export const fastify: FrameworkApps = {
  bare() {
    const app = Fastify({ trustProxy: true });
    app.get('/visit', async () => visitsBody(6));
    return listenerOf(app);
  },

  floor(floor) {
    const app = Fastify({ trustProxy: true });
    app.get('/visit', async (request, reply) => {
      const answer = await floor.handle(request.url.split('?', 1)[0] ?? '/', request.headers.cookie);
      if (answer.status !== 200) reply.code(answer.status);
      if (answer.setCookie) reply.header('Set-Cookie', answer.setCookie);
      return answer.body;
    });
    return listenerOf(app);
  },

  async sess(root, store) {
    const session = (await sessPackage(root, 'fastify')).session as FastifyPluginAsync<{
      store: unknown;
      cookieSecure: boolean;
    }>;
    const app = Fastify({ trustProxy: true });
    app.register(session, { store, cookieSecure: true });
    app.get('/visit', async (request) => {
      const s = await (request as unknown as { getSession(): Promise<CounterSession> }).getSession();
      const visits = visitsOf(s.get(VISITS)) + 1;
      s.set(VISITS, visits);
      return visitsBody(visits);
    });
    return listenerOf(app);
  },
};
