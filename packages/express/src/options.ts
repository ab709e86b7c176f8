import type { IncomingMessage } from 'node:http';
import {
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
  type SessionData,
} from '@sess/core';

/**
 * Options of {@link session}: the manager's options (`store`, `cookieName`, `cookieAge`, …, see
 * `@sess/core`) plus the adapter's own (`eager`, `cookie`, `policy`, each a function of the request when
 * it varies per request). Give either manager options or a prebuilt `manager`.
 */
export interface ExpressSessionOptions<Data extends SessionData = SessionData>
  extends AdapterOptions<Data, IncomingMessage> {
  /**
   * Load the session before the handler runs, so `req.session` is set from the start (needed by
   * Passport and other express-session-style code). A function decides per request.
   * @default false (lazy: no store I/O until `await req.getSession()`)
   */
  eager?: boolean | ((req: IncomingMessage) => boolean);
}

/** The options after validation. */
export type ResolvedExpressOptions<Data extends SessionData> = ResolvedAdapterOptions<Data, IncomingMessage>;

/** Validates the options (naming the offending one) and builds the manager. */
export function resolveExpressOptions<Data extends SessionData>(
  input: ExpressSessionOptions<Data>,
): ResolvedExpressOptions<Data> {
  return resolveAdapterOptions('@sess/express', 'request', input);
}
