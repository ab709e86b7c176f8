import type { SessionRequestFields } from '../src/index.js';

// The declaration-merging convenience, as an app would write it (here with untyped data).
declare global {
  namespace Express {
    interface Request extends SessionRequestFields {}
  }
}
