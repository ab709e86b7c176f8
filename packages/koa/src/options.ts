import {
  type AdapterOptions,
  type ResolvedAdapterOptions,
  resolveAdapterOptions,
  type SessionData,
} from '@sess/core';
import type { Context } from 'koa';

/**
 * Options of {@link session}: the manager's options (`store`, `cookieName`, `cookieAge`, …, see
 * `@sess/core`) plus the adapter's own (`eager`, `cookie`, `policy`, each a function of the context when
 * it varies per request). Give either manager options or a prebuilt `manager`.
 */
export interface KoaSessionOptions<Data extends SessionData = SessionData>
  extends AdapterOptions<Data, Context> {
  /**
   * Load the session before the downstream middleware runs, so `ctx.session` is set from the start. A function
   * decides per request.
   * @default false (lazy: no store I/O until `await ctx.getSession()`)
   */
  eager?: boolean | ((ctx: Context) => boolean);
}

/** The options after validation. */
export type ResolvedKoaOptions<Data extends SessionData> = ResolvedAdapterOptions<Data, Context>;

/** Validates the options (naming the offending one) and builds the manager. */
export function resolveKoaOptions<Data extends SessionData>(
  input: KoaSessionOptions<Data>,
): ResolvedKoaOptions<Data> {
  return resolveAdapterOptions('@sess/koa', 'context', input);
}
