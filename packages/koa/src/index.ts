export type { SessionCallback, SessionCookie } from '@sess/core/adapter';
export {
  type KoaSession,
  type KoaSessionMiddleware,
  type KoaSessionOptions,
  type SessionContext,
  session,
} from './middleware.js';
