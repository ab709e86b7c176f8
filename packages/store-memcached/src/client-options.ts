/**
 * Settings for the `memcached` client that this store is tested with: pass them as the client's options
 * (`new Memcached(servers, { ...recommendedClientOptions })`). The client's defaults make a dead server
 * cost about 100 s per request (5 connection retries with exponential backoff) and keep it out for 5
 * hours; these fail within milliseconds and let a restarted server back in within a second. The README
 * explains each one.
 */
export const recommendedClientOptions = Object.freeze({
  /** Connection timeout, ms: a server that does not accept the connection fails the request. */
  timeout: 500,
  /** Connection attempts retried per request: none, so a refused connection is an error at once. */
  retries: 0,
  /** After a failure, the server is skipped (requests to it fail at once) for this many ms, then retried. */
  retry: 1000,
  /**
   * Failures before the client declares the server dead and hands it to its `ping`-based reconnect, which
   * probes the host rather than the port and crashes a process without a `ping` binary: effectively never.
   */
  failures: 1_000_000,
  /** How long the failure count lasts, ms; short, because its timer keeps a stopping process alive. */
  failuresTimeout: 1000,
  /** The `ping` reconnect interval, ms, should concurrent failures still reach it (see the README). */
  reconnect: 1000,
  /** Never drop a failed server from the hash ring: its keys would move to another server for good. */
  remove: false,
  /** A connection silent for this many ms is closed (with any request still waiting on it). */
  idle: 5000,
  /** Connections per server. */
  poolSize: 10,
});

/** The type of {@link recommendedClientOptions}. */
export type RecommendedClientOptions = typeof recommendedClientOptions;
