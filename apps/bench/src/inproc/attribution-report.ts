import { mkdirSync, writeFileSync } from 'node:fs';
import { classify, type SelfCost, shortName } from './attribution.js';
import {
  type CallgrindResult,
  countedText,
  markdownTable,
  RESULTS,
  runMeta,
  textTable,
} from './callgrind-report.js';
import { NODE_FLAGS, PERF_MAP_FLAGS } from './valgrind.js';

/** A contender's self cost per function over all its children's counted profiles, and their requests. */
export interface ContenderCost {
  requests: number;
  self: SelfCost;
}

/** Adds one child's counted profiles to `into`. */
export function addCost(into: ContenderCost, self: SelfCost, requests: number): void {
  into.requests += requests;
  for (const [name, ir] of self) into.self.set(name, (into.self.get(name) ?? 0) + ir);
}

export interface AttributionPair {
  framework: string;
  engine: string;
  bare: ContenderCost;
  floor: ContenderCost;
  sess: ContenderCost;
}

/** Instructions per request of a group or function in each contender. */
interface Row {
  name: string;
  group?: string;
  bare: number;
  floor: number;
  sess: number;
  sessMinusFloor: number;
}

const ROLES = ['bare', 'floor', 'sess'] as const;
const FUNCTIONS_OVER = 20;
const FUNCTIONS_UNDER = 10;
const round = (value: number): number => Math.round(value * 10) / 10;
const ir = (value: number): string => (Math.round(value) + 0).toLocaleString('en-US');
const signed = (value: number): string => (Math.round(value) > 0 ? `+${ir(value)}` : ir(value));

/** Per request, summed by `key` of each function's name. */
function rowsBy(pair: AttributionPair, key: (name: string) => string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const role of ROLES) {
    const { self, requests } = pair[role];
    for (const [name, cost] of self) {
      const id = key(name);
      const row = rows.get(id) ?? { name: id, bare: 0, floor: 0, sess: 0, sessMinusFloor: 0 };
      row[role] += cost / requests;
      rows.set(id, row);
    }
  }
  for (const row of rows.values()) row.sessMinusFloor = row.sess - row.floor;
  return rows;
}

const rounded = (row: Row): Row => ({
  ...row,
  bare: round(row.bare),
  floor: round(row.floor),
  sess: round(row.sess),
  sessMinusFloor: round(row.sessMinusFloor),
});

/** A pair's totals, groups (by sess − floor) and the functions that differ most between sess and the floor. */
export function attribute(pair: AttributionPair) {
  const groups = [...rowsBy(pair, classify).values()].sort((a, b) => b.sessMinusFloor - a.sessMinusFloor);
  const total = (role: (typeof ROLES)[number]) => groups.reduce((sum, group) => sum + group[role], 0);
  const functions = [...rowsBy(pair, (name) => name).values()].map((row) => ({
    ...row,
    name: shortName(row.name),
    group: classify(row.name),
  }));
  const by = (sign: number) => (a: Row, b: Row) => sign * (b.sessMinusFloor - a.sessMinusFloor);
  return {
    framework: pair.framework,
    engine: pair.engine,
    requests: { bare: pair.bare.requests, floor: pair.floor.requests, sess: pair.sess.requests },
    total: rounded({
      name: 'total',
      bare: total('bare'),
      floor: total('floor'),
      sess: total('sess'),
      sessMinusFloor: total('sess') - total('floor'),
    }),
    groups: groups.map(rounded),
    sessOverFloor: functions.sort(by(1)).slice(0, FUNCTIONS_OVER).map(rounded),
    floorOverSess: functions.sort(by(-1)).slice(0, FUNCTIONS_UNDER).map(rounded),
  };
}

type Attribution = ReturnType<typeof attribute>;

const cell = (name: string): string => `\`${name.replaceAll('|', '\\|').replaceAll('`', "'")}\``;

function groupTable(result: Attribution): string[][] {
  const line = (row: Row) => [
    row.name,
    ir(row.bare),
    ir(row.floor),
    ir(row.sess),
    signed(row.sessMinusFloor),
  ];
  return [['group', 'bare', 'floor', 'sess', 'sess − floor'], ...result.groups.map(line), line(result.total)];
}

function functionTable(rows: Row[], sign: 1 | -1): string[][] {
  const header = ['function', 'group', 'floor', 'sess', sign === 1 ? 'sess − floor' : 'floor − sess'];
  const body = rows.map((row) => [
    cell(row.name),
    row.group ?? '',
    ir(row.floor),
    ir(row.sess),
    signed(sign * row.sessMinusFloor),
  ]);
  return [header, ...body];
}

function section(result: Attribution): string {
  const { total } = result;
  return `## ${result.framework} ${result.engine}

Per request: bare ${ir(total.bare)}, floor ${ir(total.floor)}, sess ${ir(total.sess)} Ir; sess − floor ${signed(total.sessMinusFloor)}
(from ${result.requests.sess.toLocaleString('en-US')} requests per contender).

${markdownTable(groupTable(result))}

The ${FUNCTIONS_OVER} functions with the largest sess − floor (self cost per request):

${markdownTable(functionTable(result.sessOverFloor, 1))}

The ${FUNCTIONS_UNDER} with the largest floor − sess:

${markdownTable(functionTable(result.floorOverSess, -1))}
`;
}

/** Prints the group tables and writes `results/callgrind-attribution.json` and `.md`. */
export function writeAttributionReport(run: CallgrindResult, pairs: AttributionPair[]): void {
  const results = pairs.map(attribute);
  const flags = [...NODE_FLAGS, ...PERF_MAP_FLAGS];
  const counted = countedText(run);
  const meta = { ...runMeta(run.valgrind, flags), counted };
  for (const result of results) {
    console.log(`\n${result.framework} ${result.engine}: Ir per request by group`);
    console.log(textTable(groupTable(result)));
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}callgrind-attribution.json`,
    `${JSON.stringify({ ...meta, pairs: results }, null, 2)}\n`,
  );
  const markdown = `# In process: where the instructions go (callgrind, by function)

Per framework × engine, the instructions (callgrind \`Ir\`) each contender spends per returning-visitor request
(\`GET /visit\`), by the function that spends them itself (self cost, not what it calls): summed over every
counted profile of the contender's child (the windows after the warm-up, as in \`callgrind.md\`) and divided
by the requests in them. JIT code, which callgrind knows only by address, is named through the perf map node
writes with \`--perf-basic-prof\`. Functions are grouped by the rules in \`src/inproc/attribution.ts\`
(\`GROUPS\`; JS by package); groups are sorted by sess − floor.

The children ran with \`--perf-basic-prof\`, which makes V8 log every code object it creates to the map and
turns off code-space compaction, and the figures here are over all counted requests (not the whole
full-GC cycles or median segment of the headline method): totals are a little above the headline run's. The
headline figures, measured without the perf map, stay in \`callgrind.md\`.

- date: ${meta.date}
- commit: ${meta.commit}
- node ${meta.node} (\`${flags.join(' ')}\`, \`NODE_ENV=production\`), ${meta.valgrind}
- ${counted}
- run time: ${run.seconds} s
- reproduce: \`${meta.command}\`

${results.map(section).join('\n')}`;
  writeFileSync(`${RESULTS}callgrind-attribution.md`, markdown);
  console.log(`wrote ${RESULTS}callgrind-attribution.json and callgrind-attribution.md`);
}
