import { describeSite } from './site-cases.js';

// The engines on the harness's real servers: the three apps on each.
for (const engine of ['db', 'redis', 'memcached'] as const) {
  for (const framework of ['koa', 'express', 'hono', 'fastify'] as const) describeSite(framework, engine);
}
