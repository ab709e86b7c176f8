import { describe, expect, it } from 'vitest';
import { CLOCK_MARGIN_SECONDS, MAX_RELATIVE_EXPTIME, memcachedExptime } from '../src/lifetime.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0, 250);
const DAY = 86_400_000;

describe('memcachedExptime', () => {
  it.each([
    ['already past', NOW - 1, -1],
    ['exactly now', NOW, -1],
    ['1 ms ahead: rounds up to a second, plus the margin', NOW + 1, 1 + CLOCK_MARGIN_SECONDS],
    ['1 s ahead', NOW + 1000, 1 + CLOCK_MARGIN_SECONDS],
    ['1.001 s ahead: rounds up', NOW + 1001, 2 + CLOCK_MARGIN_SECONDS],
    ['two weeks ahead (Django default)', NOW + 14 * DAY, 1_209_600 + CLOCK_MARGIN_SECONDS],
    [
      'the longest relative lifetime',
      NOW + (MAX_RELATIVE_EXPTIME - CLOCK_MARGIN_SECONDS) * 1000,
      MAX_RELATIVE_EXPTIME,
    ],
  ])('%s', (_label, expiresAt, wanted) => {
    expect(memcachedExptime(expiresAt, NOW)).toBe(wanted);
  });

  it.each([
    ['one second past the relative range', NOW + (MAX_RELATIVE_EXPTIME - CLOCK_MARGIN_SECONDS) * 1000 + 1],
    ['exactly 30 days', NOW + 30 * DAY],
    ['40 days', NOW + 40 * DAY],
    ['a year', NOW + 365 * DAY],
  ])('%s: an absolute Unix time, rounded up, never a relative lifetime memcached would misread', (_l, at) => {
    const exptime = memcachedExptime(at, NOW);
    expect(exptime).toBe(Math.ceil(at / 1000) + CLOCK_MARGIN_SECONDS);
    expect(exptime).toBeGreaterThan(MAX_RELATIVE_EXPTIME);
    expect(exptime * 1000).toBeGreaterThanOrEqual(at);
  });

  it('never expires early: the seconds sent always cover the instant', () => {
    for (let offset = 1; offset < 5000; offset += 37) {
      const exptime = memcachedExptime(NOW + offset, NOW);
      expect(exptime * 1000).toBeGreaterThanOrEqual(offset + 1000 * CLOCK_MARGIN_SECONDS);
    }
  });

  it('past 2038 (memcached exptime is 32-bit) sends 0, no expiry, leaving it to the envelope', () => {
    expect(memcachedExptime(Date.UTC(2040, 0, 1), NOW)).toBe(0);
    expect(memcachedExptime(2_147_483_646_000, NOW)).toBe(2_147_483_647);
  });

  it.each([NaN, Infinity, -Infinity])('rejects a non-finite expiry (%s)', (at) => {
    expect(() => memcachedExptime(at, NOW)).toThrow(RangeError);
  });
});
