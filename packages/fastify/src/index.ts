export { session } from './plugin.js';
export type { FastifySession, FastifySessionData, FastifySessionOptions, SessionDataOf } from './types.js';
