import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { listen, STATIC_BODY } from './shared.js';
import type { StartContender } from './types.js';

/**
 * The ceiling: the framework alone, no session. Every route answers a constant, so the numbers show what
 * the framework itself costs. Variant `koa`, `express`, `hono` (on @hono/node-server) or `fastify`.
 */
export const start: StartContender = async (options) => {
  if (options.variant === 'koa') {
    const app = new Koa();
    app.proxy = true;
    app.use((ctx) => {
      if (ctx.path === '/visit' || ctx.path === '/read' || ctx.path === '/static') ctx.body = STATIC_BODY;
    });
    return listen(app.callback(), options.port);
  }
  if (options.variant === 'express') {
    const app = express();
    app.set('trust proxy', 1);
    for (const path of ['/visit', '/read', '/static']) {
      app.get(path, (_req, res) => {
        res.send(STATIC_BODY);
      });
    }
    return listen(app, options.port);
  }
  if (options.variant === 'hono') {
    const app = new Hono();
    for (const path of ['/visit', '/read', '/static']) app.get(path, (c) => c.text(STATIC_BODY));
    return listen(getRequestListener(app.fetch), options.port);
  }
  if (options.variant === 'fastify') {
    const app = Fastify({ trustProxy: true });
    for (const path of ['/visit', '/read', '/static']) app.get(path, async () => STATIC_BODY);
    await app.ready();
    return listen((req, res) => app.routing(req, res), options.port);
  }
  throw new Error(`bench: no bare framework named ${options.variant}`);
};
