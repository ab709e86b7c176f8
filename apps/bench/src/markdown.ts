import type { OpsResult, RoundTrips, Scenario } from './ops/count-ops.js';
import { type BenchResults, ratio } from './results.js';
import { describeTrips, SESS_OPS, tripsAre } from './table.js';
import { MIX_ORDER, MIXES } from './targets.js';

const times = (value: number | null): string => (value === null ? '' : `${value.toFixed(2)}×`);

/** The results as Markdown (what README.md's "Last results" section shows). */
export function markdownReport(results: BenchResults): string {
  const { method, machine, git } = results;
  const out: string[] = [
    `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC, git \`${git.sha.slice(0, 10)}\`${git.dirty ? ' (with uncommitted changes)' : ''}, ${machine.cpuModel} × ${machine.cpus}, Node ${machine.node}${machine.wrk ? `, ${machine.wrk}` : ''}.`,
    `Load average (1/5/15 min) ${machine.loadAverage.start.join(' / ')} at the start and ${machine.loadAverage.end.join(' / ')} at the end (other work on the machine).`,
    `${method.rounds} round(s) × ${method.durationSeconds} s per mix after ${method.warmupSeconds} s of warm-up, ${method.connections} connections, a pool of ${method.sessionPool} sessions; server on core ${method.serverCore ?? '-'}, wrk and the stores on core ${method.loadCore ?? '-'}.`,
    '',
    '### Targets',
    '',
    '| target | mix | want | req/s ratio | verdict | by CPU per request |',
    '|---|---|---:|---:|---|---:|',
    ...results.targets
      .filter((t) => t.got !== null)
      .map(
        (t) =>
          `| ${t.why} | ${t.mix} | ≥ ${t.want}× | ${t.got === null ? 'n/a' : `${t.got.toFixed(2)}×`} | ${t.pass === null ? 'N/A' : t.pass ? 'PASS' : 'FAIL'} | ${t.gotByCpu === null ? 'n/a' : `${t.gotByCpu.toFixed(2)}×`} |`,
      ),
  ];
  for (const mix of MIX_ORDER) {
    const rows = results.contenders.filter((c) => results.results[c.id]?.[mix]);
    if (rows.length === 0) continue;
    out.push(
      '',
      `### ${mix}: ${MIXES[mix].what}`,
      '',
      '| contender | req/s | spread | p50 ms | p99 ms | vs peer | vs floor | CPU µs/req | vs peer (CPU) | vs floor (CPU) | server CPU | load core |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const spec of rows) {
      const r = results.results[spec.id]?.[mix];
      if (!r) continue;
      out.push(
        `| ${spec.label} | ${r.medianRps} | ±${(r.spread * 50).toFixed(1)}% | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${times(ratio(results.results, spec.id, spec.peer, mix))} | ${times(ratio(results.results, spec.id, spec.floor, mix))} | ${r.cpuUsPerRequest.toFixed(0)} | ${times(ratio(results.results, spec.id, spec.peer, mix, 'cpu'))} | ${times(ratio(results.results, spec.id, spec.floor, mix, 'cpu'))} | ${Math.round(r.serverCpu * 100)}% | ${r.loadCoreBusy === null ? '' : `${Math.round(r.loadCoreBusy * 100)}%`} |`,
      );
    }
  }
  if (results.ops.length > 0)
    out.push('', '### Store round trips per request', '', opsMarkdown(results.ops, results));
  return `${out.join('\n')}\n`;
}

/** The round-trip counts as a Markdown table. */
export function opsMarkdown(ops: readonly OpsResult[], results: Pick<BenchResults, 'contenders'>): string {
  const scenarios = Object.keys(SESS_OPS) as Scenario[];
  const lines = [`| contender | ${scenarios.join(' | ')} |`, `|---|${scenarios.map(() => '---').join('|')}|`];
  for (const result of ops) {
    const spec = results.contenders.find((c) => c.id === result.contender);
    const cells = scenarios.map((scenario) => {
      const list: RoundTrips[] = result.scenarios[scenario] ?? [];
      const verdict = spec?.kind === 'sess' ? (tripsAre(list, SESS_OPS[scenario]) ? ' ✔' : ' ✘') : '';
      return `${describeTrips(list)}${verdict}`;
    });
    lines.push(`| ${spec?.label ?? result.contender} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
