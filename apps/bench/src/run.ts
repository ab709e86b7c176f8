/**
 * The bench: `pnpm --filter @sess/bench bench [--quick] [--only id,id] …` (see README.md or `--help`).
 * Starts the stores, counts store round trips, measures every contender with wrk on separate cores, prints
 * the tables and PASS/FAIL per target, and writes results/<name>.json, .svg and .md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackingServers, startBacking } from './backing.js';
import { chartSvg } from './chart.js';
import type { BackingKind, ContenderSpec } from './contenders/types.js';
import { cpuBusy, cpuModel, cpuTimes, processCpuSeconds } from './cpu.js';
import { LINEUP } from './lineup.js';
import { markdownReport } from './markdown.js';
import { countedEngine, countOps, type OpsResult } from './ops/count-ops.js';
import { seed, verify } from './prepare.js';
import { formatProfile, summarizeProfile } from './profile-summary.js';
import { type BenchResults, evaluateTargets, type Sample, summarize } from './results.js';
import { roundOrder } from './round-order.js';
import { spawnServer } from './spawn-server.js';
import { opsTable, speedTable, targetLines } from './table.js';
import { MIX_ORDER, MIXES, type MixId } from './targets.js';
import { requireTools, runWrk } from './wrk.js';

const HELP = `Usage: pnpm --filter @sess/bench bench [options]

  --quick              smoke run: 1 round × 2 s, 1 s warm-up (writes results/quick.*)
  --only a,b,c*        only these contenders (ids; a trailing * matches a prefix)
  --mixes m,m          among ${MIX_ORDER.join(', ')} (default: all)
  --rounds N           rounds per contender and mix (default 3)
  --duration S         seconds measured per round (default 10)
  --warmup S           seconds of warm-up before each measurement (default 2)
  --connections C      wrk connections (default 32)
  --pool N             returning-visitor sessions (default 1000)
  --no-ops             skip the store round-trip counts
  --ops-only           only the store round-trip counts
  --no-pin             do not pin processes to cores
  --profile            CPU-profile each selected contender on the first of --mixes (writes profiles/)
  --out NAME           results/NAME.{json,svg,md} (default: latest for a full run, partial otherwise)
  --strict             exit 1 when a target fails
Contenders: ${LINEUP.map((c) => c.id).join(', ')}`;

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Config {
  quick: boolean;
  lineup: ContenderSpec[];
  mixes: MixId[];
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pool: number;
  ops: boolean;
  speed: boolean;
  profile: boolean;
  serverCore: number | undefined;
  loadCore: number | undefined;
  out: string;
  strict: boolean;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`bench: --${name} wants a positive number`);
  return number;
}

function config(): Config | undefined {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      mixes: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      pool: { type: 'string' },
      'no-ops': { type: 'boolean', default: false },
      'ops-only': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  const patterns = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const lineup = patterns
    ? LINEUP.filter((spec) =>
        patterns.some((p) => (p.endsWith('*') ? spec.id.startsWith(p.slice(0, -1)) : spec.id === p)),
      )
    : [...LINEUP];
  if (lineup.length === 0) throw new Error(`bench: --only matched nothing\n\n${HELP}`);
  const mixes = values.mixes
    ? MIX_ORDER.filter((mix) => values.mixes?.split(',').includes(mix))
    : [...MIX_ORDER];
  if (mixes.length === 0) throw new Error(`bench: --mixes matched nothing (${MIX_ORDER.join(', ')})`);
  const pin = !values['no-pin'] && cpus().length >= 2;
  if (!values['no-pin'] && !pin) console.warn('bench: fewer than 2 CPUs, nothing is pinned');
  const full = !patterns && !values.mixes && !values.quick && !values['ops-only'];
  return {
    quick: values.quick,
    lineup,
    mixes,
    rounds: positive('rounds', values.rounds, values.quick ? 1 : 3),
    durationSeconds: positive('duration', values.duration, values.quick ? 2 : 10),
    warmupSeconds: positive('warmup', values.warmup, values.quick ? 1 : 2),
    connections: positive('connections', values.connections, 32),
    pool: Math.max(positive('pool', values.pool, 1000), 1),
    ops: !values['no-ops'],
    speed: !values['ops-only'],
    profile: values.profile,
    serverCore: pin ? 0 : undefined,
    loadCore: pin ? 1 : undefined,
    out: values.out ?? (values.quick ? 'quick' : full ? 'latest' : 'partial'),
    strict: values.strict,
  };
}

function git(): BenchResults['git'] {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: APP_DIR, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', '../../packages', 'src'], {
      cwd: APP_DIR,
      encoding: 'utf8',
    });
    return { sha, dirty: status.trim() !== '' };
  } catch {
    return { sha: 'unknown', dirty: true };
  }
}

function versions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of [
    'express-session',
    'connect-redis',
    'connect-pg-simple',
    'koa-session',
    '@fastify/session',
    '@fastify/secure-session',
    '@fastify/cookie',
    'koa',
    'express',
    'fastify',
    'ioredis',
    'redis',
    'pg',
    'memcached',
  ]) {
    try {
      const json = JSON.parse(readFileSync(join(APP_DIR, 'node_modules', name, 'package.json'), 'utf8'));
      found[name] = String(json.version);
    } catch {
      found[name] = 'unknown';
    }
  }
  try {
    found['redis-server'] =
      /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    // Not installed: the harness says so when it is needed.
  }
  return found;
}

/**
 * `wrk -v` prints its version and usage (and exits 1 on some builds). Debian's build says
 * `wrk debian/4.1.0-3+b2 [epoll]`: reported as `wrk 4.1.0 (Debian 4.1.0-3+b2)`.
 */
function wrkVersion(): string {
  let text: string;
  try {
    text = execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    text = String((error as { stdout?: unknown }).stdout ?? '');
  }
  const version = /^wrk (\S+)/m.exec(text)?.[1];
  if (!version) return 'wrk (version unknown)';
  const debian = /^debian\/((\d+(?:\.\d+)*)\S*)$/.exec(version);
  return debian ? `wrk ${debian[2]} (Debian ${debian[1]})` : `wrk ${version}`;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Cookie headers a bare framework receives: same shape as a session cookie, meaning nothing. */
const fakeCookies = (count: number) =>
  Array.from({ length: count }, () => `sessionid=${randomBytes(16).toString('hex')}`);

async function measure(
  spec: ContenderSpec,
  servers: BackingServers,
  cfg: Config,
  round: number,
  profileDir?: string,
): Promise<Sample[]> {
  const backing = await servers.reset();
  const server = await spawnServer(spec, backing, { core: cfg.serverCore, profileDir });
  const dir = mkdtempSync(join(tmpdir(), 'sess-bench-cookies-'));
  const samples: Sample[] = [];
  try {
    const verdict = await verify(server.url, spec.kind === 'bare');
    if (verdict.failures.length > 0)
      throw new Error(`${spec.id} fails the workload: ${verdict.failures.join('; ')}`);
    if (round === 1 && verdict.notes.length > 0) log(`  note: ${spec.id}: ${verdict.notes.join('; ')}`);
    const cookies = spec.kind === 'bare' ? fakeCookies(cfg.pool) : await seed(server.url, cfg.pool);
    const cookiesFile = join(dir, 'cookies.txt');
    writeFileSync(cookiesFile, `${cookies.join('\n')}\n`);
    for (const mix of cfg.mixes) {
      const common = {
        url: server.url,
        path: MIXES[mix].path,
        connections: cfg.connections,
        cookiesFile: MIXES[mix].cookies ? cookiesFile : undefined,
        core: cfg.loadCore,
      };
      await runWrk({ ...common, durationSeconds: cfg.warmupSeconds });
      const cpuBefore = cpuTimes();
      const serverBefore = processCpuSeconds(server.pid);
      const started = performance.now();
      const wrk = await runWrk({ ...common, durationSeconds: cfg.durationSeconds });
      const elapsed = (performance.now() - started) / 1000;
      const serverSeconds = processCpuSeconds(server.pid) - serverBefore;
      const serverCpu = serverSeconds / elapsed;
      const cpuUsPerRequest = wrk.requests > 0 ? (serverSeconds * 1e6) / wrk.requests : 0;
      const busy = cpuBusy(cpuBefore, cpuTimes());
      const loadCoreBusy = cfg.loadCore === undefined ? null : (busy[`cpu${cfg.loadCore}`] ?? null);
      samples.push({ contender: spec.id, mix, round, wrk, serverCpu, cpuUsPerRequest, loadCoreBusy });
      const e = wrk.errors;
      const errors = e.connect + e.read + e.write + e.status + e.timeout;
      log(
        `  [${round}/${cfg.rounds}] ${spec.id.padEnd(24)} ${mix.padEnd(9)} ${String(Math.round(wrk.rps)).padStart(6)} req/s  p99 ${(wrk.latencyUs.p99 / 1000).toFixed(2)} ms  server CPU ${Math.round(serverCpu * 100)}% ${Math.round(cpuUsPerRequest)} µs/req${errors ? `  ${errors} ERRORS (${JSON.stringify(e)})` : ''}`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

async function profile(spec: ContenderSpec, servers: BackingServers, cfg: Config): Promise<void> {
  const dir = join(APP_DIR, 'profiles', spec.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const mix = cfg.mixes[0] ?? 'returning';
  await measure(spec, servers, { ...cfg, mixes: [mix], rounds: 1 }, 1, dir);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`bench: no CPU profile written for ${spec.id}`);
  const text = formatProfile(`${spec.id} (${mix})`, summarizeProfile(join(dir, file)));
  writeFileSync(join(dir, 'summary.txt'), `${text}\n`);
  log(text);
}

async function main(): Promise<number> {
  const cfg = config();
  if (!cfg) return 0;
  if (cfg.speed) requireTools(cfg.serverCore !== undefined);
  const loadStart = loadavg().map((n) => Number(n.toFixed(2)));
  const kinds = new Set<BackingKind>(cfg.lineup.flatMap((spec) => spec.needs));
  log(`bench: starting ${[...kinds].join(', ') || 'no'} server(s) with the test harness`);
  const servers = await startBacking(kinds, cfg.loadCore);
  try {
    const ops: OpsResult[] = [];
    if (cfg.ops) {
      for (const spec of cfg.lineup.filter((s) => countedEngine(s))) {
        ops.push(await countOps(spec, await servers.reset()));
      }
      if (ops.length > 0) log(`\n${opsTable(cfg.lineup, ops)}\n`);
    }
    if (cfg.profile) {
      for (const spec of cfg.lineup) await profile(spec, servers, cfg);
      return 0;
    }
    const samples: Sample[] = [];
    if (cfg.speed) {
      log(
        `bench: ${cfg.lineup.length} contender(s) × ${cfg.mixes.length} mix(es) × ${cfg.rounds} round(s) of ${cfg.durationSeconds} s`,
      );
      for (let round = 1; round <= cfg.rounds; round++) {
        // Throughput on a shared machine drifts by tens of percent over minutes, so the two sides of a target
        // run close together in every round: each sess contender right beside its floor and its peer (under a
        // minute apart, not a quarter hour), one framework's contenders together. Blocks and groups rotate, and
        // groups run reversed on even rounds, so no contender always runs first or last (src/round-order.ts).
        for (const spec of roundOrder(cfg.lineup, round))
          samples.push(...(await measure(spec, servers, cfg, round)));
      }
    }
    const results = summarize(samples);
    const report: BenchResults = {
      schema: 1,
      date: new Date().toISOString(),
      git: git(),
      machine: {
        cpuModel: cpuModel(),
        cpus: cpus().length,
        node: process.version,
        wrk: cfg.speed ? wrkVersion() : '',
        loadAverage: { start: loadStart, end: loadavg().map((n) => Number(n.toFixed(2))) },
      },
      versions: versions(),
      method: {
        rounds: cfg.rounds,
        durationSeconds: cfg.durationSeconds,
        warmupSeconds: cfg.warmupSeconds,
        connections: cfg.connections,
        sessionPool: cfg.pool,
        serverCore: cfg.serverCore ?? null,
        loadCore: cfg.loadCore ?? null,
        storesCore: cfg.loadCore ?? null,
        quick: cfg.quick,
      },
      contenders: cfg.lineup,
      results,
      targets: evaluateTargets(results),
      ops,
    };
    if (cfg.speed) {
      for (const mix of cfg.mixes) log(`\n${speedTable(cfg.lineup, results, mix)}`);
      log(`\nTargets (medians of the per-round ratios, same run):\n${targetLines(report.targets)}`);
    }
    const outDir = join(APP_DIR, 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${cfg.out}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(outDir, `${cfg.out}.md`), markdownReport(report));
    if (cfg.speed) writeFileSync(join(outDir, `${cfg.out}.svg`), chartSvg(report));
    log(`\nbench: wrote results/${cfg.out}.json, .md${cfg.speed ? ', .svg' : ''}`);
    return cfg.strict && report.targets.some((t) => t.pass === false) ? 1 : 0;
  } finally {
    await servers.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
