import { CapabilityMissing, type Clock, systemClock } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import type { EngineName, ResolvedConfig } from '../config.js';
import { openDb } from './db.js';
import { openFile } from './file.js';
import { openRedis } from './redis.js';

/** An engine whose expired sessions stay until swept: what `clearsessions` works on. */
export interface ClearTarget {
  /** Where the sessions live, for messages (never with credentials). */
  where: string;
  /** Whether `clearExpired` reports batches as it goes (the db engines) or only its total (files). */
  batched: boolean;
  /** How many sessions a sweep would remove at `now`. */
  countExpired(now: number): Promise<number>;
  /** Sweeps; `onBatch` hears each batch's count where the engine works in batches. */
  clearExpired(onBatch: (count: number) => void): Promise<number>;
  close(): Promise<void>;
}

/** An opened server store, for the owner commands. */
export interface OpenedStore {
  store: SessionStore;
  where: string;
  close(): Promise<void>;
}

/** Why `clearsessions` has nothing to do on an engine that expires sessions itself, or undefined. */
export function selfExpiring(engine: EngineName): string | undefined {
  switch (engine) {
    case 'redis':
    case 'memcached':
      return `${engine} expires sessions itself`;
    case 'cookie':
      return 'the cookie engine keeps sessions in the browser, which expires them';
    default:
      return undefined;
  }
}

/** Opens the engine for a sweep, with "now" pinned to `now` so its count and its deletions agree. */
export async function openClearTarget(config: ResolvedConfig, now: number): Promise<ClearTarget> {
  const clock: Clock = { now: () => now };
  if (config.engine === 'db' || config.engine === 'django-db') {
    const db = await openDb(config, config.engine, clock);
    return { ...db, batched: true };
  }
  if (config.engine === 'file') {
    const file = await openFile(config, clock);
    return { ...file, batched: false, clearExpired: () => file.clearExpired() };
  }
  throw new Error(`openClearTarget: ${config.engine} expires sessions itself`);
}

/** Opens the engine's store for `list` and `revoke`. Engines with no store to ask answer `CapabilityMissing`. */
export async function openStore(config: ResolvedConfig): Promise<OpenedStore> {
  switch (config.engine) {
    case 'db':
    case 'django-db':
      return openDb(config, config.engine, systemClock);
    case 'file':
      return openFile(config, systemClock);
    case 'redis':
      return openRedis(config);
    case 'memcached':
      throw new CapabilityMissing('@sess/store-memcached', 'an owner index');
    case 'cookie':
      throw new CapabilityMissing('@sess/store-cookie', 'an owner index (sessions live in the browser)');
  }
}
