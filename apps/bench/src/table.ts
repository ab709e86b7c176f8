import type { ContenderSpec } from './contenders/types.js';
import type { OpsResult, RoundTrips, Scenario } from './ops/count-ops.js';
import { type BenchResults, ratio, type TargetOutcome } from './results.js';
import { MIXES, type MixId, OPS_TARGETS } from './targets.js';

const pad = (text: string, width: number): string => text.padEnd(width);
const right = (text: string, width: number): string => text.padStart(width);
const times = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)}×`);

/** The speed table of one mix, in line-up order. */
export function speedTable(
  lineup: readonly ContenderSpec[],
  results: BenchResults['results'],
  mix: MixId,
): string {
  const rows = lineup.filter((spec) => results[spec.id]?.[mix]);
  if (rows.length === 0) return '';
  const head = `${pad('contender', 38)} ${right('req/s', 7)} ${right('spread', 7)} ${right('p50 ms', 7)} ${right('p99 ms', 7)} ${right('vs peer', 7)} ${right('vs floor', 8)} ${right('µs/req', 7)} ${right('vs peer', 7)} ${right('vs floor', 8)} ${right('srv CPU', 7)} ${right('load core', 9)}`;
  const lines = [
    `${mix}: ${MIXES[mix].what} (GET ${MIXES[mix].path})`,
    `${' '.repeat(38)} ${pad('── throughput (vs: req/s ratio) ──', 47)} ${'── server CPU per request (vs: cost ratio) ──'}`,
    head,
    '-'.repeat(head.length),
  ];
  for (const spec of rows) {
    const r = results[spec.id]?.[mix];
    if (!r) continue;
    const errors = r.errors > 0 ? `  ${r.errors} errors!` : '';
    lines.push(
      [
        pad(spec.label, 38),
        right(String(r.medianRps), 7),
        right(`±${(r.spread * 50).toFixed(1)}%`, 7),
        right(r.p50Ms.toFixed(2), 7),
        right(r.p99Ms.toFixed(2), 7),
        right(times(ratio(results, spec.id, spec.peer, mix)), 7),
        right(times(ratio(results, spec.id, spec.floor, mix)), 8),
        right(r.cpuUsPerRequest.toFixed(0), 7),
        right(times(ratio(results, spec.id, spec.peer, mix, 'cpu')), 7),
        right(times(ratio(results, spec.id, spec.floor, mix, 'cpu')), 8),
        right(`${Math.round(r.serverCpu * 100)}%`, 7),
        right(r.loadCoreBusy === null ? '—' : `${Math.round(r.loadCoreBusy * 100)}%`, 9),
      ].join(' ') + errors,
    );
  }
  return lines.join('\n');
}

/** PASS/FAIL lines of the speed targets. */
export function targetLines(targets: readonly TargetOutcome[]): string {
  const measured = targets.filter((t) => t.got !== null);
  const passed = measured.filter((t) => t.pass).length;
  const skipped = targets.length - measured.length;
  const summary = `${passed} of ${measured.length} measured targets met${skipped ? ` (${skipped} not measured in this run)` : ''}`;
  return [
    summary,
    ...measured.map((t) => {
      const verdict = t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'FAIL';
      const got = t.got === null ? 'not measured' : `${t.got.toFixed(2)}×`;
      const byCpu =
        t.gotByCpu === null
          ? ''
          : `; by CPU per request ${t.gotByCpu.toFixed(2)}× (${t.passByCpu ? 'pass' : 'fail'})`;
      return `${verdict}  ${t.why}: ${got} req/s (target ≥ ${t.want}×, ${t.mix})${byCpu}`;
    }),
  ].join('\n');
}

/** One repetition list as `1R+1W (HGETALL, EVALSHA)`, or each value when the repetitions disagree. */
export function describeTrips(list: readonly RoundTrips[]): string {
  const one = (t: RoundTrips) =>
    `${t.reads}R+${t.writes}W${t.trips.length ? ` (${t.trips.join(', ')})` : ''}`;
  const all = list.map(one);
  return new Set(all).size === 1 ? (all[0] ?? '') : `varies: ${all.join(' | ')}`;
}

/** Whether every repetition of a scenario did exactly `[reads, writes]`. */
export function tripsAre(list: readonly RoundTrips[], [reads, writes]: readonly [number, number]): boolean {
  return list.length > 0 && list.every((t) => t.reads === reads && t.writes === writes);
}

/** What sess must do per scenario: the issue's targets, plus a creation that only writes. */
export const SESS_OPS: Record<Scenario, readonly [number, number]> = {
  created: [0, 1],
  modifying: OPS_TARGETS.modifying,
  unmodified: OPS_TARGETS.unmodified,
  untouched: OPS_TARGETS.untouched,
};

/** The store round-trip table, with PASS/FAIL for sess contenders. */
export function opsTable(lineup: readonly ContenderSpec[], ops: readonly OpsResult[]): string {
  const lines = ['Store round trips per request (R = read, W = write; a script, pipeline or MULTI is one)'];
  for (const result of ops) {
    const spec = lineup.find((s) => s.id === result.contender);
    lines.push(`${spec?.label ?? result.contender} [${result.engine}]`);
    for (const [scenario, list] of Object.entries(result.scenarios) as [Scenario, RoundTrips[]][]) {
      const verdict =
        spec?.kind === 'sess' ? (tripsAre(list, SESS_OPS[scenario]) ? 'PASS ' : 'FAIL ') : '     ';
      const server = list[0]?.serverCommands;
      const extra = server === undefined ? '' : `; Redis ran ${server} command(s)`;
      lines.push(`  ${verdict}${pad(scenario, 11)} ${describeTrips(list)}${extra}`);
    }
  }
  return lines.join('\n');
}
