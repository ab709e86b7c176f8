import { dbEngine, djangoEngine } from './db.js';
import type { Engine, EngineName } from './engine.js';
import { fileEngine } from './file.js';
import { memcachedEngine } from './memcached.js';
import { memoryEngine } from './memory.js';
import { redisClusterEngine, redisEngine } from './redis.js';

export { DJANGO_SECRET_KEY, dbEngine, djangoEngine, rawDbRecord, rawDjangoRecord } from './db.js';
export type { Engine, EngineName, EngineStorage, RawRecord, StorageOptions } from './engine.js';
export { fileEngine } from './file.js';
export { memcachedClient, memcachedEngine, rawMemcachedRecord } from './memcached.js';
export { memoryEngine } from './memory.js';
export { decodeSessionHash, redisClusterEngine, redisEngine } from './redis.js';

/** Every server-side engine, in the order of the behaviour table. */
export const SERVER_ENGINES: readonly EngineName[] = ['memory', 'file', 'db', 'django', 'redis', 'memcached'];

/** Opens one engine on the run's servers. */
export async function openEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case 'memory':
      return memoryEngine();
    case 'file':
      return fileEngine();
    case 'db':
      return dbEngine();
    case 'django':
      return djangoEngine();
    case 'redis':
      return redisEngine();
    case 'redis-cluster':
      return redisClusterEngine();
    case 'memcached':
      return memcachedEngine();
  }
}

/** Opens several engines; close them all with the returned `close`. */
export async function openEngines(
  names: readonly EngineName[],
): Promise<{ engines: Engine[]; close(): Promise<void> }> {
  const engines = await Promise.all(names.map(openEngine));
  return { engines, close: async () => void (await Promise.all(engines.map((engine) => engine.close()))) };
}
