import type { SessionRequestFields } from '@sess/express';

// The Express adapter harness (imported from packages/express/test by index.ts) reads `req.session`: the declaration
// merging an app would write, as that package's tests declare it.
declare global {
  namespace Express {
    interface Request extends SessionRequestFields {}
  }
}
