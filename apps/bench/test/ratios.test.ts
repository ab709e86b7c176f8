import { describe, expect, it } from 'vitest';
import { evaluateTargets, ratio, type Sample, summarize } from '../src/results.js';
import type { WrkResult } from '../src/wrk.js';

/** One round of one contender: `rps` requests a second, `cpu` µs of server CPU per request. */
function sample(contender: string, round: number, rps: number, cpu: number): Sample {
  const wrk = {
    rps,
    requests: rps * 5,
    latencyUs: { p50: 1000, p99: 5000 },
    errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
  } as unknown as WrkResult;
  return { contender, mix: 'returning', round, wrk, serverCpu: 1, cpuUsPerRequest: cpu, loadCoreBusy: null };
}

describe('ratios between contenders', () => {
  // The machine slows down by half in round 2 and speeds up in round 3; in every round the subject is
  // 0.8× the reference by req/s and costs 1.25× its CPU. A ratio of the medians would mix the rounds.
  const samples = [
    sample('subject', 1, 800, 125),
    sample('reference', 1, 1000, 100),
    sample('subject', 2, 400, 250),
    sample('reference', 2, 500, 200),
    sample('reference', 3, 2000, 50),
    sample('subject', 3, 1600, 62.5),
  ];
  const results = summarize(samples);

  it('keeps each round, in round order, by req/s and by CPU', () => {
    expect(results.subject?.returning?.rounds).toEqual([800, 400, 1600]);
    expect(results.subject?.returning?.cpuRounds).toEqual([125, 250, 62.5]);
    expect(results.reference?.returning?.medianRps).toBe(1000);
  });

  it('is the median of the per-round ratios, by req/s and by CPU', () => {
    expect(ratio(results, 'subject', 'reference', 'returning')).toBeCloseTo(0.8, 10);
    expect(ratio(results, 'subject', 'reference', 'returning', 'cpu')).toBeCloseTo(0.8, 10);
  });

  it('pairs rounds, not sorted values: one bad round of one side moves one ratio only', () => {
    const skewed = summarize([
      sample('subject', 1, 900, 100),
      sample('reference', 1, 1000, 100),
      sample('subject', 2, 100, 100),
      sample('reference', 2, 1000, 100),
      sample('subject', 3, 2000, 100),
      sample('reference', 3, 2100, 100),
    ]);
    // Per round: 0.9, 0.1, 0.952 → median 0.9; the ratio of the medians would be 900 / 1000 too, so
    // check a case where they differ: the reference's slow round is not the subject's.
    expect(ratio(skewed, 'subject', 'reference', 'returning')).toBeCloseTo(0.9, 10);
    const drift = summarize([
      sample('subject', 1, 1000, 100),
      sample('reference', 1, 1000, 100),
      sample('subject', 2, 1900, 100),
      sample('reference', 2, 2000, 100),
      sample('subject', 3, 2900, 100),
      sample('reference', 3, 3000, 100),
    ]);
    // Per round 1.0, 0.95, 0.967 → 0.967; the ratio of the medians is 1900 / 2000 = 0.95.
    expect(ratio(drift, 'subject', 'reference', 'returning')).toBeCloseTo(2900 / 3000, 10);
  });

  it('falls back to the ratio of the medians for results without per-round CPU or with unequal rounds', () => {
    const old = {
      subject: { returning: { ...results.subject?.returning, cpuRounds: undefined, rounds: [1, 2] } },
      reference: { returning: results.reference?.returning },
    } as unknown as typeof results;
    expect(ratio(old, 'subject', 'reference', 'returning')).toBeCloseTo(800 / 1000, 10);
    expect(ratio(old, 'subject', 'reference', 'returning', 'cpu')).toBeCloseTo(100 / 125, 10);
  });

  it('is null when a side is missing or the divisor of a round is zero', () => {
    expect(ratio(results, 'subject', undefined, 'returning')).toBeNull();
    expect(ratio(results, 'subject', 'absent', 'returning')).toBeNull();
    // By req/s the reference divides; by CPU the subject's cost does.
    const idleReference = summarize([sample('subject', 1, 10, 1), sample('reference', 1, 0, 1)]);
    expect(ratio(idleReference, 'subject', 'reference', 'returning')).toBeNull();
    const freeSubject = summarize([sample('subject', 1, 10, 0), sample('reference', 1, 10, 1)]);
    expect(ratio(freeSubject, 'subject', 'reference', 'returning', 'cpu')).toBeNull();
    expect(ratio(freeSubject, 'subject', 'reference', 'returning')).toBe(1);
  });

  it('gives the targets their verdicts from the per-round ratios', () => {
    const outcomes = evaluateTargets(results);
    expect(outcomes.every((outcome) => outcome.got === null)).toBe(true);
    expect(outcomes.length).toBeGreaterThan(100);
  });
});
