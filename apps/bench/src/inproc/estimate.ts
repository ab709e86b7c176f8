import { median, spread } from '../stats.js';
import type { Window } from './profile-file.js';

/** Instructions per request from one child's counted profiles. */
export interface ChildEstimate {
  perRequest: number;
  /**
   * `gc-cycles`: the total over the whole cycles between the first and the last full garbage collection,
   * so that each collection's cost is spread over the requests that made it necessary; `segments` (fewer
   * than two full collections in the counted part): the median segment.
   */
  method: 'gc-cycles' | 'segments';
  /** Full (mark-compact) garbage collections in the counted part. */
  majorGcs: number;
  /** Requests the figure is from. */
  requests: number;
  /** Instructions per request of each cycle (`gc-cycles`) or segment (`segments`) the figure is from. */
  parts: number[];
  /** (max − min) / median of `parts`. */
  spread: number;
}

const sum = (windows: Window[], of: (window: Window) => number): number =>
  windows.reduce((total, window) => total + of(window), 0);
const perRequest = (windows: Window[]): number =>
  sum(windows, (window) => window.ir) / sum(windows, (window) => window.requests);

/** Consecutive windows, cut after each window that `ends` says closes a group. */
function groups(windows: Window[], ends: (window: Window) => boolean): Window[][] {
  const all: Window[][] = [[]];
  for (const window of windows) {
    all.at(-1)?.push(window);
    if (ends(window)) all.push([]);
  }
  return all;
}

/**
 * A full collection costs tens of millions of instructions and, on some apps, comes every few thousand
 * requests (Express: every ~3,000–5,500 here), so a segment's figure depends on whether one fell in it; a
 * whole collection cycle's does not (they agree within 0.1 %). With two collections or more, the figure is
 * over the cycles between them; with fewer, collections are rare enough to leave out, and the median
 * segment does.
 */
export function estimate(windows: Window[]): ChildEstimate {
  const majorGcs = windows.filter((window) => window.afterMajorGc).length;
  if (majorGcs >= 2) {
    const first = windows.findIndex((window) => window.afterMajorGc);
    const cycles = groups(windows.slice(first + 1), (window) => window.afterMajorGc).filter(
      (cycle) => cycle.at(-1)?.afterMajorGc,
    );
    const all = cycles.flat();
    const parts = cycles.map(perRequest);
    const requests = sum(all, (window) => window.requests);
    return {
      perRequest: perRequest(all),
      method: 'gc-cycles',
      majorGcs,
      requests,
      parts,
      spread: spread(parts),
    };
  }
  const segments = groups(windows, (window) => !window.afterMajorGc).filter((segment) => segment.length > 0);
  const parts = segments.map(perRequest);
  const requests = sum(windows, (window) => window.requests);
  return { perRequest: median(parts), method: 'segments', majorGcs, requests, parts, spread: spread(parts) };
}
