import { cookieFloor, type FloorHandlers, serverFloor } from '../contenders/floor-logic.js';
import { memoryFloorStore, redisFloorStore } from '../contenders/floor-stores.js';
import { SECRET } from '../contenders/shared.js';
import { stubFloorStore, stubSessStore } from './stub-store.js';

/**
 * The engines, each as sess and as the floor: `memory` (sess's `createMemoryStore()`, the floor's `Map`),
 * `cookie` (sess's sealed cookie store, the floor's AES-256-GCM cookie), `redis` (sess's Redis store and the
 * floor's GET + SET, each on its own auto-pipelined ioredis client), `stub` (stores that answer at once).
 */
export const ENGINES = ['memory', 'cookie', 'redis', 'stub'] as const;
export type Engine = (typeof ENGINES)[number];

/** What an engine needs from outside: a Redis server for `redis`. */
export interface EngineOptions {
  redisUrl?: string | undefined;
}

/** Something built on an engine, and what to release when done. */
export interface Engined<T> {
  value: T;
  close(): void;
}

const none = (): void => {};

/** `packages/<name>/dist/index.js` of a checkout: sess as that checkout built it. */
export function sessPackage(root: string, name: string): Promise<Record<string, unknown>> {
  return import(`${root}/packages/${name}/dist/index.js`);
}

type Factory = (...args: unknown[]) => unknown;
const factory = async (root: string, name: string, exported: string): Promise<Factory> =>
  (await sessPackage(root, name))[exported] as Factory;

async function ioredis(options: EngineOptions) {
  const { ioredisClient } = await import('../contenders/clients.js');
  return ioredisClient(options.redisUrl);
}

/** sess's store for `engine`, from the checkout at `root`. */
export async function sessStore(
  engine: Engine,
  root: string,
  options: EngineOptions,
): Promise<Engined<unknown>> {
  switch (engine) {
    case 'memory':
      return { value: (await factory(root, 'core', 'createMemoryStore'))(), close: none };
    case 'cookie':
      return {
        value: (await factory(root, 'store-cookie', 'createCookieStore'))({ secretKey: SECRET }),
        close: none,
      };
    case 'redis': {
      const redis = await ioredis(options);
      return {
        value: (await factory(root, 'store-redis', 'createRedisStore'))(redis),
        close: () => redis.disconnect(),
      };
    }
    case 'stub':
      return { value: stubSessStore(), close: none };
  }
}

/** The hand-written floor for `engine`: an HMAC-signed id on a store, or the sealed cookie. */
export async function floorOf(engine: Engine, options: EngineOptions): Promise<Engined<FloorHandlers>> {
  switch (engine) {
    case 'memory':
      return { value: serverFloor(memoryFloorStore()), close: none };
    case 'cookie':
      return { value: cookieFloor(), close: none };
    case 'redis': {
      const redis = await ioredis(options);
      return { value: serverFloor(redisFloorStore(redis)), close: () => redis.disconnect() };
    }
    case 'stub':
      return { value: serverFloor(stubFloorStore()), close: none };
  }
}
