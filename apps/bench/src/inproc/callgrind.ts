import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, spread } from '../stats.js';
import type { SelfCost } from './attribution.js';
import {
  type AttributionPair,
  addCost,
  type ContenderCost,
  writeAttributionReport,
} from './attribution-report.js';
import { bundleChild } from './bundle.js';
import { type Measured, type PairResult, TARGET, writeCallgrindReport } from './callgrind-report.js';
import type { Framework, Kind } from './contender.js';
import type { Engine } from './engines.js';
import { type ChildEstimate, estimate } from './estimate.js';
import { HERE, type Options } from './options.js';
import { callgrindChild, valgrindVersion } from './valgrind.js';

/** The contenders of a pair: `against` is sess from the `--against` checkout. */
type Role = 'bare' | 'floor' | 'sess' | 'against';

interface Task {
  framework: Framework;
  engine: Engine;
  role: Role;
  repeat: number;
}

const since = (start: number): number => Math.round((performance.now() - start) / 1000);
const ir = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Runs `run` over `items`, `jobs` at a time. */
async function pool<T>(items: T[], jobs: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

function measured(children: ChildEstimate[]): Measured {
  const figures = children.map((child) => child.perRequest);
  const only = children.length === 1 ? children[0] : undefined;
  return { perRequest: median(figures), spread: only ? only.spread : spread(figures), children };
}

/** A child's estimate; with `--attribute`, also its self cost per function and the requests it is over. */
interface ChildResult {
  estimate: ChildEstimate;
  selfCost: SelfCost | undefined;
  requests: number;
}

async function runChild(task: Task, options: Options, child: string, dir: string): Promise<ChildResult> {
  const label = `${task.framework}-${task.engine}-${task.role}-${task.repeat}`;
  const kind: Kind = task.role === 'against' ? 'sess' : task.role;
  const root = task.role === 'against' ? (options.against ?? HERE) : HERE;
  const run = await callgrindChild(
    [
      child,
      ...['--framework', task.framework, '--engine', task.engine, '--kind', kind, '--root', root],
      ...['--warmup', String(options.warmup), '--requests', String(options.requests)],
      ...['--segments', String(options.segments), '--marker', join(dir, `${label}.marker`)],
      ...['--redis-url', options.redisUrl],
    ],
    { dir, label, keep: options.keep, attribute: options.attribute },
  );
  rmSync(join(dir, `${label}.marker`), { force: true });
  if (!run.check.ok)
    throw new Error(
      `inproc: ${label} answered "${run.check.body}" (expected "${run.check.expected}") or miscounted`,
    );
  const counted = run.windows.reduce((sum, window) => sum + window.requests, 0);
  if (counted !== options.segments * options.requests)
    throw new Error(
      `inproc: ${label}: the profiles hold ${counted} requests, not ${options.segments * options.requests}`,
    );
  return { estimate: estimate(run.windows), selfCost: run.selfCost, requests: counted };
}

/**
 * `--callgrind`: for each framework × engine, each contender (bare, floor, sess, and sess of `--against`) in
 * its own child under callgrind, `repeat` times; instructions per request (see `estimate.ts`), and the
 * verdict on (sess − bare) / (floor − bare) ≤ 1.15. With `--attribute`, where the instructions go by function
 * and group (`attribution.ts`), written instead of the headline figures.
 */
export async function runCallgrind(options: Options): Promise<void> {
  const started = performance.now();
  const valgrind = valgrindVersion();
  const child = await bundleChild();
  const dir = mkdtempSync(join(tmpdir(), 'inproc-callgrind-'));
  const roles: Role[] = ['bare', 'floor', 'sess', ...(options.against ? (['against'] as const) : [])];
  const tasks: Task[] = [];
  for (const framework of options.frameworks)
    for (const engine of options.engines)
      for (let repeat = 1; repeat <= options.repeat; repeat++)
        for (const role of roles) tasks.push({ framework, engine, role, repeat });

  console.error(
    `callgrind: ${tasks.length} children, ${options.jobs} at a time; each ${options.warmup} warm-up requests, then ${options.segments} × ${options.requests} counted`,
  );
  const estimates = new Map<string, ChildEstimate[]>();
  const costs = new Map<string, ContenderCost>();
  let done = 0;
  await pool(tasks, options.jobs, async (task) => {
    const start = performance.now();
    const { estimate: result, selfCost, requests } = await runChild(task, options, child, dir);
    const key = `${task.framework}-${task.engine}-${task.role}`;
    estimates.set(key, [...(estimates.get(key) ?? []), result]);
    if (selfCost) {
      const cost = costs.get(key) ?? { requests: 0, self: new Map() };
      addCost(cost, selfCost, requests);
      costs.set(key, cost);
    }
    const how =
      result.method === 'gc-cycles'
        ? `${result.parts.length} GC cycles (${result.requests} requests)`
        : `median of ${result.parts.length} segments, ${result.majorGcs} full GC`;
    console.error(
      `  [${++done}/${tasks.length}] ${key} #${task.repeat}: ${ir(result.perRequest)} Ir/request, ${how}, parts ${result.parts.map(ir).join(' ')} (${since(start)} s)`,
    );
  });
  if (options.keep) console.error(`callgrind profiles kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });

  const pairs: PairResult[] = [];
  for (const framework of options.frameworks) {
    for (const engine of options.engines) {
      const of = (role: Role) => measured(estimates.get(`${framework}-${engine}-${role}`) ?? []);
      const bare = of('bare');
      const floor = of('floor');
      const sess = of('sess');
      const floorOverBare = floor.perRequest - bare.perRequest;
      const sessOverBare = sess.perRequest - bare.perRequest;
      const ratio = sessOverBare / floorOverBare;
      const pair: PairResult = {
        framework,
        engine,
        bare,
        floor,
        sess,
        floorOverBare,
        sessOverBare,
        ratio,
        verdict: ratio <= TARGET ? 'PASS' : 'FAIL',
      };
      if (options.against) {
        const against = of('against');
        const overBare = against.perRequest - bare.perRequest;
        pair.against = { root: options.against, ...against, overBare, ratio: overBare / floorOverBare };
      }
      pairs.push(pair);
    }
  }
  const result = {
    valgrind,
    warmup: options.warmup,
    requests: options.requests,
    segments: options.segments,
    repeat: options.repeat,
    seconds: since(started),
    pairs,
  };
  // With the perf map the counts are a little higher: the headline files stay as the last plain run left them.
  writeCallgrindReport(result, !options.attribute);
  if (!options.attribute) return;
  const none = (): ContenderCost => ({ requests: 0, self: new Map() });
  const attribution: AttributionPair[] = pairs.map(({ framework, engine }) => {
    const of = (role: Role) => costs.get(`${framework}-${engine}-${role}`) ?? none();
    return { framework, engine, bare: of('bare'), floor: of('floor'), sess: of('sess') };
  });
  writeAttributionReport({ ...result, seconds: since(started) }, attribution);
}
