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

/** Results of `subject` and `reference` measured side by side, round by round, at these req/s. */
function paired(subject: number[], reference: number[]) {
  return summarize(
    subject.flatMap((rps, round) => [
      sample('subject', round + 1, rps, 100),
      sample('reference', round + 1, reference[round] as number, 100),
    ]),
  );
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

  it('pairs the rounds: a ratio of the medians would take them from different rounds', () => {
    // The machine speeds up from round to round; in each round the subject is just behind.
    const drift = paired([1000, 1900, 2900], [1000, 2000, 3000]);
    // Per round 1.0, 0.95, 0.967: the median is round 3's. The medians alone give 1900 / 2000 = 0.95.
    expect(ratio(drift, 'subject', 'reference', 'returning')).toBeCloseTo(2900 / 3000, 10);
    // One slow round of one side moves that round's ratio only.
    const slowRound = paired([900, 100, 2000], [1000, 1000, 1900]);
    expect(ratio(slowRound, 'subject', 'reference', 'returning')).toBeCloseTo(0.9, 10);
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
