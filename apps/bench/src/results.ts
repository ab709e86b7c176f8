import type { ContenderSpec } from './contenders/types.js';
import type { OpsResult } from './ops/count-ops.js';
import { median, spread } from './stats.js';
import { type MixId, SPEED_TARGETS } from './targets.js';
import type { WrkResult } from './wrk.js';

/** One measured round of one contender on one mix. */
export interface Sample {
  contender: string;
  mix: MixId;
  round: number;
  wrk: WrkResult;
  /** CPU the server process used during the measurement, in cores (1 = one core fully busy). */
  serverCpu: number;
  /** Server CPU time per answered request, µs: what a request costs, whatever else runs on the machine. */
  cpuUsPerRequest: number;
  /** Busy share of the load generator's core (wrk and the stores) during the measurement; null unpinned. */
  loadCoreBusy: number | null;
}

/** The medians of one contender on one mix. */
export interface MixSummary {
  /** The req/s of each round, in round order. */
  rounds: number[];
  /** The server CPU µs per request of each round, in round order (absent in results written before it). */
  cpuRounds?: number[];
  medianRps: number;
  /** (max − min) / median of the rounds' req/s. */
  spread: number;
  p50Ms: number;
  p99Ms: number;
  serverCpu: number;
  /** Median server CPU time per request, µs. */
  cpuUsPerRequest: number;
  /** Busy share of the load generator's core (wrk and the stores); null when nothing was pinned. */
  loadCoreBusy: number | null;
  /** Non-2xx/3xx answers, socket errors and timeouts over all rounds. */
  errors: number;
}

/** A speed target's outcome. */
export interface TargetOutcome {
  subject: string;
  reference: string;
  mix: MixId;
  want: number;
  /** Median of the per-round req/s ratios (see {@link ratio}); null when one side was not measured. */
  got: number | null;
  pass: boolean | null;
  /** The same ratio by CPU cost: reference's CPU µs per request ÷ subject's. */
  gotByCpu: number | null;
  passByCpu: boolean | null;
  why: string;
}

/** Everything `results/latest.json` holds. */
export interface BenchResults {
  schema: 1;
  date: string;
  git: { sha: string; dirty: boolean };
  machine: {
    cpuModel: string;
    cpus: number;
    node: string;
    wrk: string;
    /** 1, 5 and 15-minute load averages when the run started and ended: other work on the machine. */
    loadAverage: { start: number[]; end: number[] };
  };
  versions: Record<string, string>;
  method: {
    rounds: number;
    durationSeconds: number;
    warmupSeconds: number;
    connections: number;
    sessionPool: number;
    serverCore: number | null;
    loadCore: number | null;
    storesCore: number | null;
    quick: boolean;
  };
  contenders: ContenderSpec[];
  results: Record<string, Partial<Record<MixId, MixSummary>>>;
  targets: TargetOutcome[];
  ops: OpsResult[];
}

/** Folds the samples into per-contender, per-mix medians. */
export function summarize(samples: readonly Sample[]): BenchResults['results'] {
  const results: BenchResults['results'] = {};
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.contender}\u0000${sample.mix}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  for (const [key, group] of groups) {
    const [contender = '', mix = 'returning'] = key.split('\u0000') as [string, MixId];
    group.sort((a, b) => a.round - b.round);
    const rps = group.map((s) => s.wrk.rps);
    const errors = group.reduce((sum, s) => {
      const e = s.wrk.errors;
      return sum + e.connect + e.read + e.write + e.status + e.timeout;
    }, 0);
    const loadCore = group.map((s) => s.loadCoreBusy ?? Number.NaN);
    results[contender] ??= {};
    (results[contender] as Partial<Record<MixId, MixSummary>>)[mix as MixId] = {
      rounds: rps.map((value) => Math.round(value)),
      cpuRounds: group.map((s) => Number(s.cpuUsPerRequest.toFixed(1))),
      medianRps: Math.round(median(rps)),
      spread: Number(spread(rps).toFixed(4)),
      p50Ms: Number((median(group.map((s) => s.wrk.latencyUs.p50)) / 1000).toFixed(3)),
      p99Ms: Number((median(group.map((s) => s.wrk.latencyUs.p99)) / 1000).toFixed(3)),
      serverCpu: Number(median(group.map((s) => s.serverCpu)).toFixed(3)),
      cpuUsPerRequest: Number(median(group.map((s) => s.cpuUsPerRequest)).toFixed(1)),
      loadCoreBusy: loadCore.some(Number.isNaN) ? null : Number(median(loadCore).toFixed(3)),
      errors,
    };
  }
  return results;
}

/**
 * How much faster `subject` is than `reference` on `mix`, or null when one is missing: by req/s
 * (subject ÷ reference), or by CPU cost (reference's CPU per request ÷ subject's). The median of the
 * per-round ratios: each round measures the two contenders back to back (`round-order.ts`), so a round's
 * ratio compares them under the same conditions, where the machine's drift between rounds would move a
 * ratio of medians taken from different rounds. Results without the same rounds on both sides (written
 * before per-round CPU was kept) fall back to the ratio of the medians.
 */
export function ratio(
  results: BenchResults['results'],
  subject: string,
  reference: string | undefined,
  mix: MixId,
  by: 'rps' | 'cpu' = 'rps',
): number | null {
  if (!reference) return null;
  const a = results[subject]?.[mix];
  const b = results[reference]?.[mix];
  if (!a || !b) return null;
  const [top, bottom] = by === 'cpu' ? [b.cpuRounds, a.cpuRounds] : [a.rounds, b.rounds];
  if (top && bottom && top.length === bottom.length && top.length > 0) {
    if (bottom.some((value) => !(value > 0))) return null;
    return median(top.map((value, round) => value / (bottom[round] as number)));
  }
  if (by === 'cpu') return a.cpuUsPerRequest > 0 ? b.cpuUsPerRequest / a.cpuUsPerRequest : null;
  return b.medianRps > 0 ? a.medianRps / b.medianRps : null;
}

/** Evaluates the speed targets: medians of the per-round ratios. */
export function evaluateTargets(results: BenchResults['results']): TargetOutcome[] {
  return SPEED_TARGETS.map((target) => {
    const got = ratio(results, target.subject, target.reference, target.mix);
    const byCpu = ratio(results, target.subject, target.reference, target.mix, 'cpu');
    return {
      subject: target.subject,
      reference: target.reference,
      mix: target.mix,
      want: target.ratio,
      got: got === null ? null : Number(got.toFixed(3)),
      pass: got === null ? null : got >= target.ratio,
      gotByCpu: byCpu === null ? null : Number(byCpu.toFixed(3)),
      passByCpu: byCpu === null ? null : byCpu >= target.ratio,
      why: target.why,
    };
  });
}
