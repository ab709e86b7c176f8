export {
  applyCommit,
  type KoaSessionMiddleware,
  type SessionContext,
  session,
} from './middleware.js';
export { type KoaSessionOptions, type ResolvedKoaOptions, resolveKoaOptions } from './options.js';
