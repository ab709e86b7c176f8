import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { ioredisClient, memcachedClient, need, pgPool } from './clients.js';
import { cookieFloor, type FloorHandlers, type FloorReply, serverFloor } from './floor-logic.js';
import {
  fileFloorStore,
  memcachedFloorStore,
  memoryFloorStore,
  PG_FLOOR_TABLE,
  pgFloorStore,
  redisFloorStore,
} from './floor-stores.js';
import { listen } from './shared.js';
import type { Backing, StartContender } from './types.js';

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

async function onFastify(floor: FloorHandlers): Promise<RequestListener> {
  const app = Fastify({ trustProxy: true });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const answer = await floor.handle(path, request.headers.cookie);
    reply.code(answer.status).type('text/plain; charset=utf-8');
    if (answer.setCookie) reply.header('Set-Cookie', answer.setCookie);
    return answer.body;
  });
  await app.ready();
  return (req, res) => app.routing(req, res);
}

/** A floor's handlers inside each framework the bench runs (`http` is node:http with nothing else). */
const FRAMEWORKS: Record<string, (floor: FloorHandlers) => RequestListener | Promise<RequestListener>> = {
  http: onHttp,
  koa: onKoa,
  express: onExpress,
  hono: onHono,
  fastify: onFastify,
};

/** The floor's handlers for one engine, on the clients every contender on that engine gets. */
export async function floorFor(
  engine: string,
  options: Partial<Backing>,
): Promise<{ floor: FloorHandlers; close(): Promise<void> }> {
  switch (engine) {
    case 'cookie':
      return { floor: cookieFloor(), close: async () => {} };
    case 'memory':
      return { floor: serverFloor(memoryFloorStore()), close: async () => {} };
    case 'file':
      return { floor: serverFloor(fileFloorStore(need(options.fileDir, 'fileDir'))), close: async () => {} };
    case 'redis': {
      const redis = ioredisClient(options.redisUrl);
      return { floor: serverFloor(redisFloorStore(redis)), close: async () => void redis.disconnect() };
    }
    case 'db': {
      const pool = pgPool(options.databaseUrl);
      await pool.query(PG_FLOOR_TABLE);
      return { floor: serverFloor(pgFloorStore(pool)), close: () => pool.end() };
    }
    case 'memcached': {
      const client = memcachedClient(options.memcachedServers);
      return { floor: serverFloor(memcachedFloorStore(client)), close: async () => client.end() };
    }
    default:
      throw new Error(`bench: no floor engine named ${engine}`);
  }
}

/**
 * Hand-written floors: what the session job costs with nothing but the driver and node:crypto. Variant
 * `<engine>-<framework>`: engine `memory`, `file`, `db`, `redis`, `memcached` (an HMAC-signed id cookie and
 * the store of `floor-stores.ts`) or `cookie` (an AES-256-GCM sealed cookie); framework `http`, `koa`,
 * `express`, `hono` (on @hono/node-server) or `fastify`.
 */
export const start: StartContender = async (options) => {
  const [engine = '', framework = ''] = options.variant.split('-');
  const onFramework = Object.hasOwn(FRAMEWORKS, framework) ? FRAMEWORKS[framework] : undefined;
  if (!onFramework) throw new Error(`bench: no floor framework named ${framework}`);
  const { floor, close } = await floorFor(engine, options);
  return listen(await onFramework(floor), options.port, close);
};
