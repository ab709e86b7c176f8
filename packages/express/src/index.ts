export type { SessionCallback, SessionCookie } from '@sess/core/adapter';
export { type HoldHooks, holdResponse } from './hold-response.js';
export {
  type ExpressSession,
  type ExpressSessionOptions,
  type SessionMiddleware,
  type SessionRequestFields,
  session,
} from './middleware.js';
