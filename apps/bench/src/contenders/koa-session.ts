import type { Redis } from 'ioredis';
import Koa from 'koa';
import createSession from 'koa-session';
import { ioredisClient } from './clients.js';
import { COOKIE_AGE_SECONDS, listen, SECRET, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

interface Stored {
  [key: string]: unknown;
}

/**
 * An external store with the three methods koa-session's README asks for, on ioredis: one GET to load,
 * one SET with the expiry koa-session passes (ms) to save. koa-redis, the old ready-made one, is stuck on
 * ioredis 4 and generator functions, so apps write this themselves.
 */
function ioredisStore(redis: Redis) {
  return {
    async get(key: string): Promise<Stored | undefined> {
      const json = await redis.get(key);
      return json === null ? undefined : (JSON.parse(json) as Stored);
    },
    async set(key: string, sess: Stored, maxAge: number): Promise<void> {
      await redis.set(key, JSON.stringify(sess), 'PX', maxAge);
    },
    async destroy(key: string): Promise<void> {
      await redis.del(key);
    },
  };
}

/**
 * koa-session as its README shows: `app.keys` for signed cookies, `signed: true`, a Secure HttpOnly cookie
 * with `app.proxy` behind a TLS proxy. Variant `cookie` keeps the session in the cookie (base64 JSON +
 * Keygrip signature, not encrypted); variant `redis` keeps it in the ioredis store above.
 */
export const start: StartContender = async (options) => {
  let redis: Redis | undefined;
  if (options.variant === 'redis') {
    redis = ioredisClient(options.redisUrl);
  } else if (options.variant !== 'cookie') {
    throw new Error(`bench: no koa-session variant named ${options.variant}`);
  }
  const app = new Koa();
  app.keys = [SECRET];
  app.proxy = true;
  app.use(
    createSession(
      {
        key: 'koa.sess',
        maxAge: COOKIE_AGE_SECONDS * 1000,
        httpOnly: true,
        signed: true,
        secure: true,
        sameSite: 'lax',
        rolling: false,
        renew: false,
        ...(redis ? { store: ioredisStore(redis) } : {}),
      },
      app,
    ),
  );
  app.use((ctx) => {
    switch (ctx.path) {
      case '/visit': {
        const session = ctx.session as unknown as Stored;
        const visits = visitsOf(session[VISITS]) + 1;
        session[VISITS] = visits;
        ctx.body = visitsBody(visits);
        return;
      }
      case '/read': {
        const session = ctx.session as unknown as Stored;
        ctx.body = visitsBody(visitsOf(session[VISITS]));
        return;
      }
      case '/static':
        ctx.body = STATIC_BODY;
        return;
    }
  });
  return listen(app.callback(), options.port, async () => {
    redis?.disconnect();
  });
};
