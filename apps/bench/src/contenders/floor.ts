import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { cookieFloor, type FloorHandlers, type FloorReply, redisFloor } from './floor-logic.js';
import { listen } from './shared.js';
import type { StartContender } from './types.js';

function onHttp(floor: FloorHandlers) {
  const send = (res: ServerResponse, reply: FloorReply): void => {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (reply.setCookie) headers['Set-Cookie'] = reply.setCookie;
    res.writeHead(reply.status, headers);
    res.end(reply.body);
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    Promise.resolve(floor.handle(path, req.headers.cookie)).then(
      (reply) => send(res, reply),
      (error: unknown) => {
        console.error(error);
        send(res, { status: 500, body: 'error' });
      },
    );
  };
}

function onKoa(floor: FloorHandlers) {
  const app = new Koa();
  app.proxy = true;
  app.use(async (ctx) => {
    const reply = await floor.handle(ctx.path, ctx.get('Cookie') || undefined);
    ctx.status = reply.status;
    if (reply.setCookie) ctx.set('Set-Cookie', reply.setCookie);
    ctx.body = reply.body;
  });
  return app.callback();
}

function onExpress(floor: FloorHandlers) {
  const app = express();
  app.set('trust proxy', 1);
  app.get(/.*/, async (req, res) => {
    const reply = await floor.handle(req.path, req.headers.cookie);
    res.status(reply.status);
    if (reply.setCookie) res.set('Set-Cookie', reply.setCookie);
    res.send(reply.body);
  });
  return app;
}

function onHono(floor: FloorHandlers): RequestListener {
  const app = new Hono();
  app.get('*', async (c) => {
    const reply = await floor.handle(c.req.path, c.req.header('cookie'));
    if (reply.setCookie) c.header('Set-Cookie', reply.setCookie);
    return c.text(reply.body, reply.status as 200);
  });
  return getRequestListener(app.fetch) as RequestListener;
}

/** The ioredis + HMAC-cookie floor on each framework, by variant. */
const REDIS_FLOORS: Record<string, (floor: FloorHandlers) => RequestListener> = {
  'redis-http': onHttp,
  'redis-koa': onKoa,
  'redis-express': onExpress,
  'redis-hono': onHono,
};

/**
 * Hand-written floors: what the session job costs with nothing but the driver and node:crypto.
 * Variants: `redis-http` (ioredis + HMAC cookie on node:http), `redis-koa` (the same inside Koa),
 * `redis-express` (the same inside Express), `redis-hono` (inside Hono on @hono/node-server), `cookie-koa`
 * and `cookie-hono` (AES-256-GCM sealed cookie inside Koa, inside Hono).
 */
export const start: StartContender = async (options) => {
  if (options.variant === 'cookie-koa') return listen(onKoa(cookieFloor()), options.port);
  if (options.variant === 'cookie-hono') return listen(onHono(cookieFloor()), options.port);
  const onFramework = Object.hasOwn(REDIS_FLOORS, options.variant)
    ? REDIS_FLOORS[options.variant]
    : undefined;
  if (!onFramework) throw new Error(`bench: no floor named ${options.variant}`);
  if (!options.redisUrl) throw new Error('bench: this contender needs redisUrl');
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const floor = redisFloor(redis);
  const handler = onFramework(floor);
  return listen(handler, options.port, async () => {
    redis.disconnect();
  });
};
