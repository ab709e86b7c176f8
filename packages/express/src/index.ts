export type {
  ExpressSession,
  ExpressSessionMethods,
  SessionCallback,
  SessionProperties,
} from './compat-session.js';
export { type HoldHooks, holdResponse } from './hold-response.js';
export { applyCommit, type SessionMiddleware, type SessionRequestFields, session } from './middleware.js';
export { type ExpressSessionOptions, type ResolvedExpressOptions, resolveExpressOptions } from './options.js';
