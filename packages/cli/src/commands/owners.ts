import { createMemoryStore, createSessionManager, isSessionError, type SessionManager } from '@sess/core';
import type { Flags } from '../args.js';
import { type ResolvedConfig, resolveConfig } from '../config.js';
import { type OpenedStore, openStore } from '../engines/index.js';
import { UsageError } from '../errors.js';
import type { ResolvedIo } from '../io.js';

/** What `list` and `revoke` share: the config, the store, and core's manager over it. */
export interface OwnerContext {
  owner: string;
  config: ResolvedConfig;
  /** Core's manager over the store: each store call it makes is bounded by the config's `timeoutMs`. */
  manager: SessionManager;
}

/**
 * Resolves the config, opens the store and builds core's manager on it with the app's `handleSecret`, so
 * handles are the app's own; runs `body`, then closes what it opened.
 */
export async function withOwnerContext<T>(
  flags: Flags,
  io: ResolvedIo,
  needsHandles: boolean,
  body: (context: OwnerContext) => Promise<T>,
): Promise<T> {
  const owner = flags.owner;
  if (owner === undefined) throw new UsageError('--owner is required');
  const config = await resolveConfig(flags, io.env, io.cwd);
  if (needsHandles && config.handleSecret === undefined) {
    throw new UsageError(
      "handles need the app's handleSecret: set `handleSecret` in the config file or SESS_HANDLE_SECRET " +
        '(without it they would not match the ones the app shows)',
    );
  }
  // Core's own check of the secret (length, type), before any connection is opened.
  if (config.handleSecret !== undefined) {
    createSessionManager({ store: createMemoryStore(), handleSecret: config.handleSecret });
  }
  try {
    return await withStore(config, owner, body);
  } catch (error) {
    if (isSessionError(error) && error.code === 'CAPABILITY_MISSING') {
      throw new UsageError(
        `the ${config.engine} engine has no owner index (${error.message}); sessions can be listed and ` +
          'revoked by owner on the db and redis engines',
        { cause: error, showUsage: false },
      );
    }
    throw error;
  }
}

async function withStore<T>(
  config: ResolvedConfig,
  owner: string,
  body: (context: OwnerContext) => Promise<T>,
): Promise<T> {
  const opened: OpenedStore = await openStore(config);
  try {
    const manager = createSessionManager({
      store: opened.store,
      storeTimeoutMs: config.timeoutMs,
      ...(config.handleSecret === undefined ? {} : { handleSecret: config.handleSecret }),
    });
    return await body({ owner, config, manager });
  } finally {
    await opened.close();
  }
}
