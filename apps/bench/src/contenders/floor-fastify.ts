import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { cookieFloor, type FloorHandlers, redisFloor } from './floor-logic.js';
import { listen } from './shared.js';
import type { StartContender } from './types.js';

/** A floor's handlers inside Fastify: one route for every path, the reply written from the floor's answer. */
async function onFastify(floor: FloorHandlers) {
  const app = Fastify({ trustProxy: true });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const answer = await floor.handle(path, request.headers.cookie);
    reply.code(answer.status).type('text/plain; charset=utf-8');
    if (answer.setCookie) reply.header('Set-Cookie', answer.setCookie);
    return answer.body;
  });
  await app.ready();
  return app;
}

/**
 * The hand-written floors of `floor.ts` inside Fastify: variant `redis` (ioredis + HMAC cookie) and
 * `cookie` (AES-256-GCM sealed cookie), the least each session job costs on this framework.
 */
export const start: StartContender = async (options) => {
  if (options.variant === 'cookie') {
    const app = await onFastify(cookieFloor());
    return listen((req, res) => app.routing(req, res), options.port);
  }
  if (options.variant !== 'redis') throw new Error(`bench: no Fastify floor named ${options.variant}`);
  if (!options.redisUrl) throw new Error('bench: this contender needs redisUrl');
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const app = await onFastify(redisFloor(redis));
  return listen(
    (req, res) => app.routing(req, res),
    options.port,
    async () => {
      redis.disconnect();
    },
  );
};
