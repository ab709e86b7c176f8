import { type Clock, type SessionManagerOptions, systemClock } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import type { ClientResponse } from '@sess/http-test-suite';
import { expect } from 'vitest';
import { NEWEST_FRAMEWORKS, type RawRecord } from '../../src/index.js';

/** The frameworks the timeout policies are proved through: the newest major of each adapter. */
export const TIMING_FRAMEWORKS = NEWEST_FRAMEWORKS;

/** Time as one test sees it: the manager's clock and a way to move it. */
export interface Timeline {
  clock: Clock;
  now(): number;
  /** Moves time forward: the test clock at once, or real time by sleeping (plus a small margin). */
  advance(seconds: number): Promise<void>;
  /**
   * Moves time to just past `instant` (ms since the epoch). For boundaries that must have passed: measured
   * from when a response arrived, so a slow request cannot leave real time short of them.
   */
  advanceTo(instant: number): Promise<void>;
}

/**
 * A test clock for engines that decide expiry with the clock they are given (memory, files, PostgreSQL, the
 * cookie engine); real time for those that expire by their own clock (Redis, memcached), with waits of a
 * second or two.
 */
export function timelineFor(realTime: boolean): Timeline {
  if (realTime) {
    return {
      clock: systemClock,
      now: () => Date.now(),
      advance: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100)),
      advanceTo: (instant) =>
        new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now()) + 100)),
    };
  }
  // On a whole second: the sealed cookie keeps its expiry in whole seconds (rounded down), so a clock with a
  // fraction of a second would end its sessions up to a second early and blur the boundaries tested here.
  const clock = createTestClock(Math.ceil(Date.now() / 1000) * 1000);
  return {
    clock,
    now: () => clock.now(),
    advance: async (seconds) => clock.advance(seconds),
    advanceTo: async (instant) => clock.advance(Math.max(0, instant - clock.now()) / 1000 + 0.1),
  };
}

/** Manager options with the timeline's clock. */
export const withClock = (timeline: Timeline, options: Omit<SessionManagerOptions, 'clock'>) =>
  ({ ...options, clock: timeline.clock }) as SessionManagerOptions;

/** A record that is gone, or that storage still holds past its expiry (engines that sweep later). */
export function expectGoneOrExpired(record: RawRecord | null, now: number): void {
  if (record !== null) expect(record.expiresAt).toBeLessThanOrEqual(now);
}

/** The session cookie a response set, or undefined. */
export const sessionCookie = (response: ClientResponse) =>
  response.setCookies.find((cookie) => cookie.name === 'sessionid');
