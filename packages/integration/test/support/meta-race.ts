import { createSessionManager, type SessionManager, type SessionManagerOptions } from '@sess/core';
import { hashSessionKey } from '@sess/core/store';
import type { Client } from '@sess/http-test-suite';
import {
  type App,
  appRoutes,
  type Engine,
  type EngineStorage,
  type Framework,
  type GatedStore,
  gateStore,
  type RawRecord,
  serveApp,
} from '../../src/index.js';

/** An engine as a metadata race runs it: keys stored raw, or hashed at rest. */
export interface Variant {
  engine: Engine;
  hashed: boolean;
  /** `PostgreSQL`, or `PostgreSQL (keys hashed at rest)`. */
  title: string;
}

/** Each engine with raw keys, and those named in `hashed` also with keys hashed at rest. */
export function variantsOf(engines: readonly Engine[], hashed: readonly string[] = []): Variant[] {
  return engines.flatMap((engine) => [
    { engine, hashed: false, title: engine.title },
    ...(hashed.includes(engine.name)
      ? [{ engine, hashed: true, title: `${engine.title} (keys hashed at rest)` }]
      : []),
  ]);
}

/** An app over gated storage of one variant, and what a test reads around it. */
export interface MetaRace {
  storage: EngineStorage;
  gated: GatedStore;
  manager: SessionManager;
  app: App;
  /** The record id of a cookie's key (its hash when keys are hashed at rest). */
  idOf(key: string): string;
  /** The record of a cookie's key, read around the store. */
  raw(key: string): Promise<RawRecord | null>;
  /** A new client holding `key` as its session cookie. */
  clientWith(key: string): Client;
}

/** Starts `framework` over fresh gated storage of `variant`; `options` go to the manager. */
export async function metaRace(
  variant: Variant,
  framework: Framework,
  options: Omit<SessionManagerOptions, 'store'> = {},
): Promise<MetaRace> {
  const storage = await variant.engine.storage(options.clock ? { clock: options.clock } : {});
  const gated = gateStore(storage.store);
  const manager = createSessionManager({
    ...options,
    store: gated.store,
    ...(variant.hashed ? { hashKeysAtRest: true } : {}),
  });
  const app = await serveApp(framework, { manager }, appRoutes);
  const idOf = (key: string) => (variant.hashed ? hashSessionKey(key) : key);
  return {
    storage,
    gated,
    manager,
    app,
    idOf,
    raw: (key) => storage.raw(idOf(key)),
    clientWith(key) {
      const client = app.client();
      client.cookies.set('sessionid', key);
      return client;
    },
  };
}

/** The session key a client holds; throws when it holds none. */
export function keyOf(client: Client): string {
  const key = client.cookies.get('sessionid');
  if (!key) throw new Error('the client holds no session cookie');
  return key;
}
