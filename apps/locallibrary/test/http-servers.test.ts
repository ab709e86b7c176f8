import { describeSite } from './site-cases.js';

// The engines on the harness's real servers: both apps on each.
for (const engine of ['db', 'redis', 'memcached'] as const) {
  for (const framework of ['koa', 'express'] as const) describeSite(framework, engine);
}
