import type { BackingKind, ContenderSpec } from './contenders/types.js';

const SESS_STORES = ['memory', 'file', 'cookie', 'db', 'redis', 'memcached'] as const;

const needsOf = (store: string): BackingKind[] =>
  store === 'redis' ? ['redis'] : store === 'db' ? ['postgres'] : store === 'memcached' ? ['memcached'] : [];

const koaPeer: Record<string, string> = { redis: 'koa-session-redis', cookie: 'koa-session-cookie' };
const koaFloor: Record<string, string> = { redis: 'floor-redis-koa', cookie: 'floor-cookie-koa' };
const expressPeer: Record<string, string> = {
  memory: 'express-session-memory',
  redis: 'express-session-redis',
  db: 'express-session-pg',
};
const expressFloor: Record<string, string> = { redis: 'floor-redis-express' };
const honoPeer: Record<string, string> = { redis: 'hono-session-redis', cookie: 'hono-session-cookie' };
const honoFloor: Record<string, string> = { redis: 'floor-redis-hono', cookie: 'floor-cookie-hono' };

const fastifyPeer: Record<string, string> = {
  memory: 'fastify-session-memory',
  redis: 'fastify-session-redis',
  cookie: 'fastify-secure-session',
};
const fastifyFloor: Record<string, string> = { redis: 'floor-redis-fastify', cookie: 'floor-cookie-fastify' };

const PEERS = { koa: koaPeer, express: expressPeer, hono: honoPeer, fastify: fastifyPeer };
const FLOORS = { koa: koaFloor, express: expressFloor, hono: honoFloor, fastify: fastifyFloor };

/** The engines sess runs on in Fastify: the three its peers cover (memory, Redis, an encrypted cookie). */
const FASTIFY_STORES = ['memory', 'cookie', 'redis'] as const;

function sess(
  framework: 'koa' | 'express' | 'hono' | 'fastify',
  store: (typeof SESS_STORES)[number],
): ContenderSpec {
  const peer = PEERS[framework][store];
  const floor = FLOORS[framework][store];
  return {
    id: `sess-${framework}-${store}`,
    label: `@sess/${framework} + ${store}`,
    kind: 'sess',
    framework,
    store,
    module: `sess-${framework}`,
    variant: store,
    needs: needsOf(store),
    ...(peer ? { peer } : {}),
    ...(floor ? { floor } : {}),
  };
}

/** Every contender, in the order the table prints them. */
export const LINEUP: readonly ContenderSpec[] = [
  ...SESS_STORES.map((store) => sess('koa', store)),
  ...SESS_STORES.map((store) => sess('express', store)),
  ...SESS_STORES.map((store) => sess('hono', store)),
  ...FASTIFY_STORES.map((store) => sess('fastify', store)),
  {
    id: 'koa-session-cookie',
    label: 'koa-session (signed cookie)',
    kind: 'peer',
    framework: 'koa',
    store: 'cookie',
    module: 'koa-session',
    variant: 'cookie',
    needs: [],
    floor: 'floor-cookie-koa',
  },
  {
    id: 'koa-session-redis',
    label: 'koa-session + ioredis store',
    kind: 'peer',
    framework: 'koa',
    store: 'redis',
    module: 'koa-session',
    variant: 'redis',
    needs: ['redis'],
    floor: 'floor-redis-koa',
  },
  {
    id: 'express-session-memory',
    label: 'express-session + MemoryStore',
    kind: 'peer',
    framework: 'express',
    store: 'memory',
    module: 'express-session',
    variant: 'memory',
    needs: [],
  },
  {
    id: 'express-session-redis',
    label: 'express-session + connect-redis',
    kind: 'peer',
    framework: 'express',
    store: 'redis',
    module: 'express-session',
    variant: 'redis',
    needs: ['redis'],
    floor: 'floor-redis-express',
  },
  {
    id: 'express-session-pg',
    label: 'express-session + connect-pg-simple',
    kind: 'peer',
    framework: 'express',
    store: 'db',
    module: 'express-session',
    variant: 'pg',
    needs: ['postgres'],
  },
  {
    id: 'hono-session-cookie',
    label: '@hono/session (JWE cookie)',
    kind: 'peer',
    framework: 'hono',
    store: 'cookie',
    module: 'hono-session',
    variant: 'cookie',
    needs: [],
    floor: 'floor-cookie-hono',
  },
  {
    id: 'hono-session-redis',
    label: '@hono/session + ioredis storage',
    kind: 'peer',
    framework: 'hono',
    store: 'redis',
    module: 'hono-session',
    variant: 'redis',
    needs: ['redis'],
    floor: 'floor-redis-hono',
  },
  {
    id: 'fastify-session-memory',
    label: '@fastify/session + its MemoryStore',
    kind: 'peer',
    framework: 'fastify',
    store: 'memory',
    module: 'fastify-session',
    variant: 'memory',
    needs: [],
  },
  {
    id: 'fastify-session-redis',
    label: '@fastify/session + connect-redis',
    kind: 'peer',
    framework: 'fastify',
    store: 'redis',
    module: 'fastify-session',
    variant: 'redis',
    needs: ['redis'],
    floor: 'floor-redis-fastify',
  },
  {
    id: 'fastify-secure-session',
    label: '@fastify/secure-session (sealed cookie)',
    kind: 'peer',
    framework: 'fastify',
    store: 'cookie',
    module: 'fastify-secure-session',
    variant: 'cookie',
    needs: [],
    floor: 'floor-cookie-fastify',
  },
  {
    id: 'floor-redis-http',
    label: 'floor: ioredis + HMAC cookie, node:http',
    kind: 'floor',
    framework: 'node:http',
    store: 'redis',
    module: 'floor',
    variant: 'redis-http',
    needs: ['redis'],
  },
  {
    id: 'floor-redis-koa',
    label: 'floor: ioredis + HMAC cookie, Koa',
    kind: 'floor',
    framework: 'koa',
    store: 'redis',
    module: 'floor',
    variant: 'redis-koa',
    needs: ['redis'],
  },
  {
    id: 'floor-redis-express',
    label: 'floor: ioredis + HMAC cookie, Express',
    kind: 'floor',
    framework: 'express',
    store: 'redis',
    module: 'floor',
    variant: 'redis-express',
    needs: ['redis'],
  },
  {
    id: 'floor-redis-hono',
    label: 'floor: ioredis + HMAC cookie, Hono',
    kind: 'floor',
    framework: 'hono',
    store: 'redis',
    module: 'floor',
    variant: 'redis-hono',
    needs: ['redis'],
  },
  {
    id: 'floor-cookie-koa',
    label: 'floor: AES-256-GCM cookie, Koa',
    kind: 'floor',
    framework: 'koa',
    store: 'cookie',
    module: 'floor',
    variant: 'cookie-koa',
    needs: [],
  },
  {
    id: 'floor-cookie-hono',
    label: 'floor: AES-256-GCM cookie, Hono',
    kind: 'floor',
    framework: 'hono',
    store: 'cookie',
    module: 'floor',
    variant: 'cookie-hono',
    needs: [],
  },
  {
    id: 'floor-redis-fastify',
    label: 'floor: ioredis + HMAC cookie, Fastify',
    kind: 'floor',
    framework: 'fastify',
    store: 'redis',
    module: 'floor-fastify',
    variant: 'redis',
    needs: ['redis'],
  },
  {
    id: 'floor-cookie-fastify',
    label: 'floor: AES-256-GCM cookie, Fastify',
    kind: 'floor',
    framework: 'fastify',
    store: 'cookie',
    module: 'floor-fastify',
    variant: 'cookie',
    needs: [],
  },
  {
    id: 'bare-koa',
    label: 'bare Koa (no session)',
    kind: 'bare',
    framework: 'koa',
    store: 'none',
    module: 'bare',
    variant: 'koa',
    needs: [],
  },
  {
    id: 'bare-express',
    label: 'bare Express (no session)',
    kind: 'bare',
    framework: 'express',
    store: 'none',
    module: 'bare',
    variant: 'express',
    needs: [],
  },
  {
    id: 'bare-hono',
    label: 'bare Hono (no session)',
    kind: 'bare',
    framework: 'hono',
    store: 'none',
    module: 'bare',
    variant: 'hono',
    needs: [],
  },
  {
    id: 'bare-fastify',
    label: 'bare Fastify (no session)',
    kind: 'bare',
    framework: 'fastify',
    store: 'none',
    module: 'bare',
    variant: 'fastify',
    needs: [],
  },
];

/** The contender with this id; throws with the list of ids otherwise. */
export function contender(id: string): ContenderSpec {
  const found = LINEUP.find((spec) => spec.id === id);
  if (!found) throw new Error(`bench: no contender ${id} (known: ${LINEUP.map((s) => s.id).join(', ')})`);
  return found;
}
