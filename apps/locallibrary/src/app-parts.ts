import type { SiteInfo } from './pages.js';
import type { SessionEngine } from './stores.js';

/** What both apps (Koa and the Express twin) are built from. */
export interface AppParts {
  engine: SessionEngine;
  info: SiteInfo;
}

/** The engine as the adapter's session options: a server store, or the cookie engine. */
export function sessionOptions(engine: SessionEngine) {
  return { store: engine.store };
}
