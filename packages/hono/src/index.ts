export { commitResponse, PendingResponse, ResponseHeaders, requestFacts } from './fetch-adapter.js';
export {
  type FetchSessionContext,
  type FetchSessionOptions,
  type SessionFetchHandler,
  withSession,
} from './fetch-handler.js';
export {
  type HonoSession,
  type HonoSessionMiddleware,
  type HonoSessionOptions,
  type SessionEnv,
  type SessionVariables,
  session,
} from './middleware.js';
