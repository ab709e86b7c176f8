/** Where the backing servers of one bench run are. */
export interface Backing {
  /** `redis://127.0.0.1:PORT` */
  redisUrl: string;
  /** `postgres://postgres@127.0.0.1:PORT/DB` */
  databaseUrl: string;
  /** `host:port` of each memcached server. */
  memcachedServers: string[];
  /** An empty directory the file store may use. */
  fileDir: string;
}

/** What a contender's `start()` receives. */
export interface StartOptions extends Partial<Backing> {
  /** 0 for any free port. */
  port: number;
  /** Which engine, for modules that serve several (`redis`, `db`, `cookie`…). */
  variant: string;
}

/** A running contender. */
export interface Running {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Stops listening and releases the clients the contender opened. */
  close(): Promise<void>;
}

/** Every contender module exports one of these as `start`. */
export type StartContender = (options: StartOptions) => Promise<Running>;

/** A backing server kind a contender needs. */
export type BackingKind = 'redis' | 'postgres' | 'memcached';

/** One entry of the line-up. */
export interface ContenderSpec {
  /** Stable id used on the command line and in the results (`sess-koa-redis`). */
  id: string;
  /** What the table prints. */
  label: string;
  kind: 'sess' | 'peer' | 'floor' | 'bare';
  framework: 'koa' | 'express' | 'hono' | 'fastify' | 'node:http';
  /** Where sessions live. */
  store: 'memory' | 'file' | 'cookie' | 'db' | 'redis' | 'memcached' | 'none';
  /** Module under src/contenders/ (without extension) exporting `start`. */
  module: string;
  variant: string;
  needs: BackingKind[];
  /** The like-for-like peer (same framework, same store), if there is one. */
  peer?: string;
  /** The hand-written floor doing the same job, if there is one. */
  floor?: string;
}
