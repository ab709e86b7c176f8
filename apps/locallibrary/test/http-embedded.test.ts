import { describeSite } from './site-cases.js';

// The engines that need no server: the three apps on each.
for (const engine of ['memory', 'file', 'cookie'] as const) {
  for (const framework of ['koa', 'express', 'hono', 'fastify'] as const) describeSite(framework, engine);
}
