import type { Clock } from '@sess/core';
import type { RecordMeta, SessionData, SessionStore } from '@sess/core/store';

/** The engines this package drives through the adapters. */
export type EngineName = 'memory' | 'file' | 'db' | 'django' | 'redis' | 'redis-cluster' | 'memcached';

/** A record exactly as the engine holds it, read around the store (no expiry filter, no decoding by it). */
export interface RawRecord {
  data: SessionData;
  /** The expiry kept in storage, ms since the epoch. */
  expiresAt: number;
  /** The metadata kept in storage; Django's table keeps none. */
  meta: RecordMeta | null;
}

/** Storage for one test: a store of its own (random prefix, table or directory) and a backdoor to it. */
export interface EngineStorage {
  store: SessionStore;
  /** The record of `key` read straight from storage (SQL, HGETALL, a second client, the file), or null. */
  raw(key: string): Promise<RawRecord | null>;
}

/** Options of one storage. */
export interface StorageOptions {
  /** The manager's clock, for stores that take one (db, file, memory). Native-expiry engines use real time. */
  clock?: Clock;
}

/** One engine, opened once per test file (clients, a database, a directory). */
export interface Engine {
  name: EngineName;
  /** A title for test names, e.g. `PostgreSQL (Django mode)`. */
  title: string;
  /**
   * Whether the engine decides expiry by its own (real) clock, whatever the manager's clock says: Redis
   * (server-side PEXPIREAT) and memcached (`Date.now()` against the envelope).
   */
  realTimeExpiry: boolean;
  /** Fresh, isolated storage. */
  storage(options?: StorageOptions): Promise<EngineStorage>;
  /** Ends what `open` opened (clients, pools, the database, the directory). */
  close(): Promise<void>;
}
