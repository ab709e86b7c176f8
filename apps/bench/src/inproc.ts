/**
 * The cost of the session layer, in process: `pnpm --dir apps/bench inproc [options]` (`--help` lists them).
 *
 * Drives the counter app (`GET /visit` of a returning visitor, with the cookie its own first visit set)
 * through each framework with fake request/response objects: no sockets, no load generator. Per framework
 * and engine it compares sess (this checkout's `packages/*\/dist`, and another checkout's with `--against`),
 * the hand-written floor in the same framework, and the bare framework.
 *
 * By default it reads CPU time, in slices alternating between the contenders (`src/inproc/slices.ts`);
 * with `--callgrind` it counts instructions per request under valgrind, each contender in its own process
 * (`src/inproc/callgrind.ts`), which other work on the machine does not change, and writes
 * `results/callgrind.{json,md}` (with `--attribute`, `results/callgrind-attribution.{json,md}`: where sess's
 * instructions go compared to the floor's, by function).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCallgrind } from './inproc/callgrind.js';
import { parseOptions } from './inproc/options.js';
import { runSlices } from './inproc/slices.js';

const args = process.argv.slice(2);
const options = parseOptions(args);
const pairs = options.frameworks.flatMap((framework) =>
  options.engines.map((engine) => ({ framework, engine })),
);

if (options.callgrind) await runCallgrind(options);
else if (pairs.length === 1 && pairs[0]) await runSlices(pairs[0].framework, pairs[0].engine, options);
else {
  // One process per framework and engine: apps of several frameworks in one process would share (and make
  // polymorphic) the JIT's view of node:http, and so measure each other.
  const shared = ['--requests', String(options.requests), '--slices', String(options.slices)];
  shared.push('--redis-url', options.redisUrl, ...(options.against ? ['--against', options.against] : []));
  if (options.newVisitors) shared.push('--new-visitors');
  for (const { framework, engine } of pairs) {
    const script = [fileURLToPath(import.meta.url), '--framework', framework, '--engine', engine, ...shared];
    const run = spawnSync(process.execPath, [...process.execArgv, ...script], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
