/** memcached reads an exptime above this many seconds (30 days) as an absolute Unix time. */
export const MAX_RELATIVE_EXPTIME = 2_592_000;

/** memcached parses exptime as a signed 32-bit number: absolute times end in January 2038. */
const MAX_ABSOLUTE_EXPTIME = 2_147_483_647;

/**
 * Whole seconds added to every lifetime. memcached's clock ticks once a second and is not aligned with
 * the application's, so an item can go up to a second before the second it was given; the margin keeps
 * a session from ever disappearing early. The envelope's exact `exp` decides when a session stops
 * loading, so the margin never makes one live longer.
 */
export const CLOCK_MARGIN_SECONDS = 1;

/**
 * The exptime memcached needs for a record expiring at `expiresAt` (ms since the epoch), seen at `now`:
 * relative seconds (rounded up) up to 30 days, the absolute Unix time (rounded up) beyond, `-1` (gone at
 * once) for an instant already past, and `0` (no expiry: the envelope still expires it) past 2038.
 */
export function memcachedExptime(expiresAt: number, now: number): number {
  if (!Number.isFinite(expiresAt) || !Number.isFinite(now)) {
    throw new RangeError(`expiresAt and now must be finite instants, received ${expiresAt} and ${now}`);
  }
  if (expiresAt <= now) return -1;
  const relative = Math.ceil((expiresAt - now) / 1000) + CLOCK_MARGIN_SECONDS;
  if (relative <= MAX_RELATIVE_EXPTIME) return relative;
  const absolute = Math.ceil(expiresAt / 1000) + CLOCK_MARGIN_SECONDS;
  return absolute <= MAX_ABSOLUTE_EXPTIME ? absolute : 0;
}
