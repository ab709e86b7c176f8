import type { ContenderSpec } from './contenders/types.js';
import type { BenchResults, MixSummary } from './results.js';
import { MIX_ORDER, type MixId } from './targets.js';

const COLORS: Record<ContenderSpec['kind'], string> = {
  sess: '#2b6cb0',
  peer: '#dd6b20',
  floor: '#718096',
  bare: '#a0aec0',
};

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Metric {
  title: string;
  value: (summary: MixSummary) => number;
  rounds: (summary: MixSummary) => number[];
}

const METRICS: Metric[] = [
  {
    title: 'requests per second (higher is better); whisker = slowest…fastest round',
    value: (s) => s.medianRps,
    rounds: (s) => s.rounds,
  },
  {
    title:
      'server CPU µs per request (lower is better): steadier than req/s when other work shares the machine',
    value: (s) => Math.round(s.cpuUsPerRequest),
    rounds: (s) => [s.cpuUsPerRequest],
  },
];

/**
 * A bar chart as a standalone SVG: for req/s and for CPU per request, one panel per mix, one row per
 * contender, bars at the median. Each panel has its own scale.
 */
export function chartSvg(results: BenchResults): string {
  const mixes = MIX_ORDER.filter((mix) => results.contenders.some((c) => results.results[c.id]?.[mix]));
  const rows = results.contenders.filter((c) => results.results[c.id]);
  const labelWidth = 280;
  const panelWidth = 230;
  const gap = 20;
  const rowHeight = 20;
  const sectionHeight = 60 + rows.length * rowHeight;
  const top = 50;
  const width = labelWidth + mixes.length * (panelWidth + gap) + 10;
  const height = top + METRICS.length * sectionHeight + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>sess bench: requests per second and server CPU per request of every contender, per mix</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">sess bench: medians of ${results.method.rounds} round(s) of ${results.method.durationSeconds} s</text>`,
    `<text x="10" y="40" fill="#4a5568">${xmlEscape(`${results.machine.cpuModel} × ${results.machine.cpus}, ${results.method.connections} connections, load average ${results.machine.loadAverage.start[0]} → ${results.machine.loadAverage.end[0]}, git ${results.git.sha.slice(0, 10)}${results.git.dirty ? '+dirty' : ''}, ${results.date.slice(0, 10)}`)}</text>`,
  ];
  METRICS.forEach((metric, m) => {
    const sectionTop = top + m * sectionHeight;
    const rowsTop = sectionTop + 45;
    out.push(`<text x="10" y="${sectionTop + 18}" font-weight="bold">${xmlEscape(metric.title)}</text>`);
    rows.forEach((spec, i) => {
      const y = rowsTop + i * rowHeight;
      if (i % 2 === 0)
        out.push(`<rect x="0" y="${y}" width="${width}" height="${rowHeight}" fill="#f7fafc"/>`);
      out.push(
        `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" fill="${COLORS[spec.kind]}">${xmlEscape(spec.label)}</text>`,
      );
    });
    mixes.forEach((mix: MixId, p) => {
      const x0 = labelWidth + p * (panelWidth + gap);
      const summaries = rows.map((spec) => results.results[spec.id]?.[mix]);
      const max = Math.max(
        ...summaries.map((s) => (s ? Math.max(...metric.rounds(s), metric.value(s)) : 0)),
        1,
      );
      const scale = (value: number) => (value / max) * (panelWidth - 50);
      out.push(`<text x="${x0}" y="${rowsTop - 8}" font-weight="bold">${mix}</text>`);
      out.push(
        `<line x1="${x0}" y1="${rowsTop}" x2="${x0}" y2="${rowsTop + rows.length * rowHeight}" stroke="#cbd5e0"/>`,
      );
      summaries.forEach((summary, i) => {
        const spec = rows[i];
        if (!summary || !spec) return;
        const y = rowsTop + i * rowHeight;
        const value = metric.value(summary);
        const barWidth = scale(value);
        out.push(
          `<rect x="${x0}" y="${y + 4}" width="${barWidth.toFixed(1)}" height="${rowHeight - 8}" fill="${COLORS[spec.kind]}"/>`,
        );
        const lo = x0 + scale(Math.min(...metric.rounds(summary)));
        const hi = x0 + scale(Math.max(...metric.rounds(summary)));
        if (hi - lo >= 1) {
          out.push(
            `<line x1="${lo.toFixed(1)}" y1="${y + 10}" x2="${hi.toFixed(1)}" y2="${y + 10}" stroke="#1a202c" stroke-width="1.5"/>`,
          );
        }
        out.push(
          `<text x="${(x0 + Math.max(barWidth, hi - x0) + 4).toFixed(1)}" y="${y + 14}" fill="#2d3748">${value}</text>`,
        );
      });
    });
  });
  const legendY = height - 15;
  (Object.entries(COLORS) as [ContenderSpec['kind'], string][]).forEach(([kind, color], i) => {
    const x = 10 + i * 110;
    out.push(`<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${x + 18}" y="${legendY}">${kind}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
