import { createSessionManager } from '@sess/core';
import type { Client } from '@sess/http-test-suite';
import {
  type App,
  appRoutes,
  type Engine,
  type EngineStorage,
  type Framework,
  type GatedStore,
  gateStore,
  serveApp,
} from '../../src/index.js';

/** An app over gated storage, with a saved session `{ base: '1' }` and two clients holding its cookie. */
export interface RaceSetup {
  storage: EngineStorage;
  gated: GatedStore;
  app: App;
  /** The client whose write is held at the gate. */
  slow: Client;
  /** The client whose request runs to completion meanwhile. */
  fast: Client;
  /** The session's key. */
  key: string;
}

/** Starts `framework` over fresh storage of `engine` behind a gate, and saves one session. */
export async function raceSetup(engine: Engine, framework: Framework): Promise<RaceSetup> {
  const storage = await engine.storage();
  const gated = gateStore(storage.store);
  const app = await serveApp(framework, { manager: createSessionManager({ store: gated.store }) }, appRoutes);
  const slow = app.client();
  await slow.get('/set?base=1');
  const key = slow.cookies.get('sessionid');
  if (!key) throw new Error('no session cookie was issued');
  const fast = app.client();
  fast.cookies.set('sessionid', key);
  return { storage, gated, app, slow, fast, key };
}
