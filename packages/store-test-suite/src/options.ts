import type { SessionData, SessionStore } from '@sess/core/store';

/**
 * The backdoor into storage: lets the suite check what really reached the engine, not only what the
 * store under test reports back.
 */
export interface RawBackdoor {
  /**
   * What is stored under the record id `id` (a 32-character key or a 40-character hash) for `store` (a
   * store made by `create`), bypassing the store's own logic: the hash, row, file content or envelope,
   * in any engine-specific shape. `null` (or `undefined`) when nothing is stored. Must NOT filter out expired records: the suite uses it to
   * see whether `clearExpired()` really removed them.
   */
  read(store: SessionStore, id: string): Promise<unknown>;
  /** Decodes the session data out of a value returned by `read`. Without it the suite only checks presence. */
  data?(raw: unknown): SessionData | null;
  /**
   * The stored bytes of the data part of a value returned by `read` (a column's text, a hash field, the
   * file content). When given, the suite proves `touch` leaves them byte-identical.
   */
  dataBytes?(raw: unknown): string | Uint8Array;
}

/** How the suite reaches the engine under test. */
export interface StoreSuiteOptions {
  /**
   * A fresh store, called once per test. Isolate each call (random prefix, table or directory) so the
   * tests can run concurrently on one shared server. The suite calls `close()` on it after the test.
   */
  create: () => SessionStore | Promise<SessionStore>;
  /**
   * A second store over the SAME backend (same server, same table) but another prefix, for the isolation
   * tests. Required: isolating sessions by prefix is a duty every server engine proves.
   */
  createIsolated: () => SessionStore | Promise<SessionStore>;
  /** Runs once after every test of `describeSessionStore`, e.g. to end the driver client. */
  teardown?: () => void | Promise<void>;
  /** The raw-read backdoor. Strongly recommended: without it the suite sees storage only through `load`. */
  raw?: RawBackdoor;
}
