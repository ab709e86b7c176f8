import type { SiteInfo } from './pages.js';
import type { SessionEngine } from './stores.js';

/** What both apps (Koa and the Express twin) are built from. */
export interface AppParts {
  engine: SessionEngine;
  info: SiteInfo;
}

/** The engine as the adapter's session options: a server store, or the cookie backend. */
export function sessionOptions(engine: SessionEngine) {
  if (engine.backend) return { backend: engine.backend };
  if (engine.store) return { store: engine.store };
  throw new TypeError(`locallibrary: engine ${engine.name} has neither a store nor a backend`);
}
