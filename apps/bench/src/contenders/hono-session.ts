import { getRequestListener } from '@hono/node-server';
import { type SessionEnv, useSession, useSessionStorage } from '@hono/session';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Redis } from 'ioredis';
import { ioredisClient } from './clients.js';
import { COOKIE_AGE_SECONDS, listen, SECRET, STATIC_BODY, VISITS, visitsBody, visitsOf } from './shared.js';
import type { StartContender } from './types.js';

type Data = Record<string, unknown>;

/**
 * A `Storage` for @hono/session on ioredis, as its README leaves apps to write: one GET to load, one SET
 * with the cookie's age to save (the storage contract has no expiry, so it is given here), one DEL.
 */
function ioredisStorage(redis: Redis) {
  return {
    async get(sid: string): Promise<Data | null> {
      const json = await redis.get(sid);
      return json === null ? null : (JSON.parse(json) as Data);
    },
    set(sid: string, value: Data): void {
      redis.set(sid, JSON.stringify(value), 'EX', COOKIE_AGE_SECONDS).catch(() => {});
    },
    delete(sid: string): void {
      redis.del(sid).catch(() => {});
    },
  };
}

/**
 * @hono/session as its README shows: `useSession({ secret, duration })`, on Node through @hono/node-server.
 * Its cookie is fixed (`sid`, HttpOnly, Lax); its `setCookie` override adds Secure, as every contender's has. Variant `cookie` keeps the data in the
 * encrypted cookie; variant `redis` keeps it in the ioredis storage above.
 */
export const start: StartContender = async (options) => {
  let redis: Redis | undefined;
  if (options.variant === 'redis') {
    redis = ioredisClient(options.redisUrl);
  } else if (options.variant !== 'cookie') {
    throw new Error(`bench: no @hono/session variant named ${options.variant}`);
  }
  const app = new Hono<SessionEnv<Data>>();
  if (redis) app.use(useSessionStorage(ioredisStorage(redis)));
  app.use(
    useSession<Data>({
      secret: SECRET,
      duration: { absolute: COOKIE_AGE_SECONDS },
      setCookie: (c, name, value, cookie) => setCookie(c, name, value, { ...cookie, secure: true }),
    }),
  );
  app.get('/visit', async (c) => {
    const visits = visitsOf((await c.var.session.get())?.[VISITS]) + 1;
    await c.var.session.update((previous) => ({ ...previous, [VISITS]: visits }));
    return c.text(visitsBody(visits));
  });
  app.get('/read', async (c) => c.text(visitsBody(visitsOf((await c.var.session.get())?.[VISITS]))));
  app.get('/static', (c) => c.text(STATIC_BODY));
  return listen(getRequestListener(app.fetch), options.port, async () => {
    redis?.disconnect();
  });
};
