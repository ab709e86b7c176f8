import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import Fastify from 'fastify';
import { createClient } from 'redis';
import { COOKIE_AGE_SECONDS, listen, SECRET, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

/** @fastify/session's `request.session`, as these routes use it (its own declaration may be shadowed). */
interface PeerSession {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * @fastify/session 11 behind @fastify/cookie, as its README sets it up: `secret`, a Secure cookie with
 * Fastify's `trustProxy` behind a TLS proxy, the cookie's maxAge (ms) as the TTL. `saveUninitialized: false`
 * and `rolling: false` are its lightest settings, as the express-session peers use: its defaults (both
 * true) would store every visitor and re-save every session on every request. Variant `memory` uses its
 * in-process store; variant `redis` connect-redis on a `redis` v5 client (@fastify/session takes
 * express-session stores).
 */
export const start: StartContender = async (options) => {
  let client: ReturnType<typeof createClient> | undefined;
  let store: RedisStore | undefined;
  if (options.variant === 'redis') {
    if (!options.redisUrl) throw new Error('bench: this contender needs redisUrl');
    client = createClient({ url: options.redisUrl });
    client.on('error', (error) => console.error('redis client error', error));
    await client.connect();
    store = new RedisStore({ client, prefix: 'myapp:' });
  } else if (options.variant !== 'memory') {
    throw new Error(`bench: no @fastify/session store named ${options.variant}`);
  }
  const app = Fastify({ trustProxy: true });
  app.register(fastifyCookie);
  app.register(fastifySession, {
    secret: SECRET,
    saveUninitialized: false,
    rolling: false,
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', maxAge: COOKIE_AGE_SECONDS * 1000 },
    ...(store ? { store: store as never } : {}),
  });
  const sessionOf = (request: unknown) => (request as { session: PeerSession }).session;
  app.get('/visit', async (request) => {
    const session = sessionOf(request);
    const visits = visitsOf(session.get(VISITS)) + 1;
    session.set(VISITS, visits);
    return visitsBody(visits);
  });
  app.get('/read', async (request) => visitsBody(visitsOf(sessionOf(request).get(VISITS))));
  app.get('/static', async () => STATIC_BODY);
  await app.ready();
  return listen(
    (req, res) => app.routing(req, res),
    options.port,
    async () => {
      client?.destroy();
    },
  );
};
