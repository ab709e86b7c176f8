import { describeSessionsPage, describeSessionsUnsupported } from './sessions-cases.js';

// "Your sessions" on the engines with an owner index (db on the harness's PostgreSQL), the three apps on each.
for (const engine of ['memory', 'db'] as const) {
  for (const framework of ['koa', 'express', 'hono', 'fastify'] as const)
    describeSessionsPage(framework, engine);
}
// And on engines without one: a plain message instead of a list.
for (const engine of ['file', 'cookie'] as const) {
  for (const framework of ['koa', 'express', 'hono', 'fastify'] as const)
    describeSessionsUnsupported(framework, engine);
}
