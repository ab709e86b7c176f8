import type { BackingKind, ContenderSpec } from './contenders/types.js';

const SESS_STORES = ['memory', 'file', 'cookie', 'db', 'redis', 'memcached'] as const;

const needsOf = (store: string): BackingKind[] =>
  store === 'redis' ? ['redis'] : store === 'db' ? ['postgres'] : store === 'memcached' ? ['memcached'] : [];

const koaPeer: Record<string, string> = { redis: 'koa-session-redis', cookie: 'koa-session-cookie' };
const expressPeer: Record<string, string> = {
  memory: 'express-session-memory',
  redis: 'express-session-redis',
  db: 'express-session-pg',
};
const honoPeer: Record<string, string> = { redis: 'hono-session-redis', cookie: 'hono-session-cookie' };
const fastifyPeer: Record<string, string> = {
  memory: 'fastify-session-memory',
  redis: 'fastify-session-redis',
  cookie: 'fastify-secure-session',
};
const PEERS = { koa: koaPeer, express: expressPeer, hono: honoPeer, fastify: fastifyPeer };

/** The engines sess runs on in Fastify: the three its peers cover (memory, Redis, an encrypted cookie). */
const FASTIFY_STORES = ['memory', 'cookie', 'redis'] as const;

type Framework = 'koa' | 'express' | 'hono' | 'fastify';
type Store = (typeof SESS_STORES)[number];

/** The engines sess runs on in each framework. */
const STORES_OF: Record<Framework, readonly Store[]> = {
  koa: SESS_STORES,
  express: SESS_STORES,
  hono: SESS_STORES,
  fastify: FASTIFY_STORES,
};
const FRAMEWORK_NAMES: Record<Framework | 'node:http', string> = {
  koa: 'Koa',
  express: 'Express',
  hono: 'Hono',
  fastify: 'Fastify',
  'node:http': 'node:http',
};
const FLOOR_WHAT: Record<Store, string> = {
  memory: 'Map of JSON + HMAC cookie',
  file: 'a file per session + HMAC cookie',
  cookie: 'AES-256-GCM cookie',
  db: 'pg SELECT/upsert + HMAC cookie',
  redis: 'ioredis GET/SET + HMAC cookie',
  memcached: 'memcached get/set + HMAC cookie',
};

const floorId = (framework: Framework | 'node:http', store: Store): string =>
  `floor-${store}-${framework === 'node:http' ? 'http' : framework}`;

function floor(framework: Framework | 'node:http', store: Store): ContenderSpec {
  return {
    id: floorId(framework, store),
    label: `floor: ${FLOOR_WHAT[store]}, ${FRAMEWORK_NAMES[framework]}`,
    kind: 'floor',
    framework,
    store,
    module: 'floor',
    variant: `${store}-${framework === 'node:http' ? 'http' : framework}`,
    needs: needsOf(store),
  };
}

/**
 * The hand-written floors: one per engine sess runs on in each framework, so every sess contender has its
 * floor in the same run, and the Redis one on bare node:http besides.
 */
const FLOORS: readonly ContenderSpec[] = [
  ...(Object.keys(STORES_OF) as Framework[]).flatMap((framework) =>
    STORES_OF[framework].map((store) => floor(framework, store)),
  ),
  floor('node:http', 'redis'),
];

function sess(framework: Framework, store: Store): ContenderSpec {
  const peer = PEERS[framework][store];
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
    floor: floorId(framework, store),
  };
}

/** Every contender, in the order the table prints them. */
export const LINEUP: readonly ContenderSpec[] = [
  ...(Object.keys(STORES_OF) as Framework[]).flatMap((framework) =>
    STORES_OF[framework].map((store) => sess(framework, store)),
  ),
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
    floor: 'floor-memory-express',
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
    floor: 'floor-db-express',
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
    floor: 'floor-memory-fastify',
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
  ...FLOORS,
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
