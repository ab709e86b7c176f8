/**
 * Sizes of the reliability suites. The defaults keep CI short; the long mode sets the variables, e.g.
 * `SESS_PROPERTY_RUNS=100000 SESS_SOAK_REQUESTS=100000 npx vitest run --project integration test/reliability`.
 */

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * fast-check runs per property here, where every case costs server or disk round trips: 300 in CI, and
 * `SESS_PROPERTY_RUNS` (at least 10⁵) in the long mode. The in-memory properties of packages/core and
 * packages/store-cookie run 2,000 by default.
 */
export const IO_PROPERTY_RUNS = positive('SESS_PROPERTY_RUNS', 300);
/** Requests of one soak (one adapter on one engine), spread over the clients. */
export const SOAK_REQUESTS = positive('SESS_SOAK_REQUESTS', 2000);
/** Concurrent clients of a soak, each with its own session. */
export const SOAK_CLIENTS = positive('SESS_SOAK_CLIENTS', 50);

/** A test timeout that grows with the long mode: `perCaseMs` per case, never under `floorMs`. */
export function budget(cases: number, perCaseMs: number, floorMs = 60_000): number {
  return Math.max(floorMs, cases * perCaseMs);
}
