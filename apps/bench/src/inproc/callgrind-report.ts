import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildEstimate } from './estimate.js';
import { HERE } from './options.js';
import { NODE_FLAGS } from './valgrind.js';

/** The issue's target: what sess adds over the bare framework ≤ 1.15 × what the floor adds. */
export const TARGET = 1.15;

/** Instructions per request of one contender: the median over its children, and each child's estimate. */
export interface Measured {
  perRequest: number;
  /** (max − min) / median over the children, or over the one child's cycles or segments. */
  spread: number;
  children: ChildEstimate[];
}

export interface PairResult {
  framework: string;
  engine: string;
  bare: Measured;
  floor: Measured;
  sess: Measured;
  floorOverBare: number;
  sessOverBare: number;
  /** (sess − bare) / (floor − bare). */
  ratio: number;
  verdict: 'PASS' | 'FAIL';
  /** sess of the `--against` checkout, if asked. */
  against?: Measured & { root: string; overBare: number; ratio: number };
}

export interface CallgrindResult {
  valgrind: string;
  warmup: number;
  requests: number;
  segments: number;
  repeat: number;
  seconds: number;
  pairs: PairResult[];
}

/** `apps/bench/results/`. */
export const RESULTS = fileURLToPath(new URL('../../results/', import.meta.url));
const ir = (value: number): string => Math.round(value).toLocaleString('en-US');
const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

/** This checkout's commit, and whether `packages/` has uncommitted changes. */
export function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: HERE, encoding: 'utf8' }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    // --no-optional-locks: read the state without refreshing (writing) the index.
    const changed = git('--no-optional-locks', 'status', '--porcelain', '--', 'packages') !== '';
    return changed ? `${head} (with uncommitted changes in packages/)` : head;
  } catch {
    return 'unknown';
  }
}

function rows(result: CallgrindResult): string[][] {
  const header = ['pair', 'bare', 'floor', 'sess', 'floor − bare', 'sess − bare', 'ratio', `≤ ${TARGET}`];
  const against = result.pairs.some((pair) => pair.against);
  if (against) header.push('against', 'against − bare', 'ratio');
  const body = result.pairs.map((pair) => {
    const row = [
      `${pair.framework} ${pair.engine}`,
      ir(pair.bare.perRequest),
      ir(pair.floor.perRequest),
      ir(pair.sess.perRequest),
      ir(pair.floorOverBare),
      ir(pair.sessOverBare),
      pair.ratio.toFixed(3),
      pair.verdict,
    ];
    if (pair.against)
      row.push(ir(pair.against.perRequest), ir(pair.against.overBare), pair.against.ratio.toFixed(3));
    return row;
  });
  return [header, ...body];
}

/** A table for the terminal: the first column left-aligned, the others right-aligned. */
export function textTable(table: string[][]): string {
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length))) ?? [];
  return table
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd : cell.padStart).call(cell, widths[column] ?? 0))
        .join('  '),
    )
    .join('\n');
}

/** A Markdown table, the first row the header; the first column left-aligned, the others right-aligned. */
export function markdownTable(table: string[][]): string {
  const [header = [], ...body] = table;
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join('\n');
}

/** How a callgrind run ran, as every results file of it says: when, on what, with which node flags, how to repeat it. */
export function runMeta(valgrind: string, flags: readonly string[]) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    valgrind,
    nodeFlags: [...flags, 'NODE_ENV=production'],
    commit: commit(),
    command: `pnpm --dir apps/bench inproc ${process.argv.slice(2).join(' ')}`.trim(),
  };
}

/** How many children and requests each contender's figure is from. */
export function countedText(
  run: Pick<CallgrindResult, 'repeat' | 'warmup' | 'segments' | 'requests'>,
): string {
  return `${run.repeat} child(ren) per contender, ${run.warmup} warm-up requests then ${run.segments} × ${run.requests} counted`;
}

/** Prints the table and, when `write`, writes `results/callgrind.json` and `results/callgrind.md`. */
export function writeCallgrindReport(result: CallgrindResult, write = true): void {
  const meta = runMeta(result.valgrind, NODE_FLAGS);
  const table = rows(result);
  const spreads = result.pairs.flatMap((pair) =>
    (['bare', 'floor', 'sess'] as const).map((role) => {
      const { spread, children } = pair[role];
      const gcs = children.map((child) => child.majorGcs).join('+');
      const parts = children.length > 1 ? children.length : (children[0]?.parts.length ?? 0);
      const how = `${children[0]?.method ?? '?'}, ${gcs} full GC`;
      return `${pair.framework} ${pair.engine} ${role} ${parts > 1 ? pct(spread) : 'single cycle'} (${how})`;
    }),
  );
  const counted = countedText(result);
  console.log(`\nInstructions (callgrind Ir) per returning-visitor request (${counted})`);
  console.log(textTable(table));
  console.log(`spread (max − min) / median of what each figure is from:\n  ${spreads.join('\n  ')}`);
  console.log(`${result.seconds} s`);
  if (!write) return;

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}callgrind.json`,
    `${JSON.stringify({ ...meta, target: TARGET, ...result }, null, 2)}\n`,
  );
  const markdown = `# In process: instructions per request (callgrind)

Target: the instructions sess adds over the bare framework ≤ ${TARGET} × what the hand-written floor adds, per
returning-visitor request (\`GET /visit\`: load, count, save), counted by callgrind (\`Ir\`, every thread of the
process). Reported, not asserted.

- date: ${meta.date}
- commit: ${meta.commit}
- node ${meta.node} (\`${NODE_FLAGS.join(' ')}\`, \`NODE_ENV=production\`), ${meta.valgrind}
- per contender: ${counted}; the figure is over whole full-GC cycles when the counted part holds two full collections or more, else the median segment
- run time: ${result.seconds} s
- reproduce: \`${meta.command}\`

${markdownTable(table)}

Spread ((max − min) / median) of the cycles or segments each figure is from, how it was taken, and the full
garbage collections counted:

${spreads.map((line) => `- ${line}`).join('\n')}

How it is measured: \`apps/bench/README.md\`, "In process, without sockets".
`;
  writeFileSync(`${RESULTS}callgrind.md`, markdown);
  console.log(`wrote ${RESULTS}callgrind.json and callgrind.md`);
}
