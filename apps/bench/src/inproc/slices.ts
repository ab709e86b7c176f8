import { median } from '../stats.js';
import { allocated } from './allocated.js';
import { type Contender, contender, type Framework } from './contender.js';
import { visit } from './drive.js';
import type { Engine } from './engines.js';
import { HERE, type Options } from './options.js';

/**
 * CPU time per request, in process: every contender of one framework and engine (sess of this checkout,
 * sess of `--against`, the floor, the bare framework) in turns of `requests` requests, `slices` turns each
 * after two warm-up turns, read with `process.cpuUsage()`. Returning visitors send the cookie their first
 * visit set; with `--new-visitors` no request sends one, so each creates a session. Prints the median and the best slice (on a
 * shared machine the best is the least disturbed), the cost over the bare framework, and the bytes allocated
 * per request (three slices more), which other work on the machine does not change.
 */
export async function runSlices(framework: Framework, engine: Engine, options: Options): Promise<void> {
  const spec = { framework, engine, redisUrl: options.redisUrl };
  const contenders: Record<string, Contender> = {};
  contenders[`sess (${HERE})`] = await contender({ ...spec, kind: 'sess', root: HERE });
  if (options.against)
    contenders[`sess (${options.against})`] = await contender({
      ...spec,
      kind: 'sess',
      root: options.against,
    });
  contenders[`floor (${engine})`] = await contender({ ...spec, kind: 'floor', root: HERE });
  const bareName = `bare ${framework}`;
  contenders[bareName] = await contender({ ...spec, kind: 'bare', root: HERE });

  const perSlice = options.requests;
  const costs: Record<string, number[]> = Object.fromEntries(
    Object.keys(contenders).map((name) => [name, []]),
  );
  const bytes: Record<string, number[]> = Object.fromEntries(
    Object.keys(contenders).map((name) => [name, []]),
  );
  for (let slice = -2; slice < options.slices; slice++) {
    for (const [name, entry] of Object.entries(contenders)) {
      const { handler } = entry;
      const cookie = options.newVisitors ? undefined : entry.cookie;
      const runSlice = async () => {
        for (let i = 0; i < perSlice; i++) await visit(handler, cookie);
      };
      const before = process.cpuUsage();
      await runSlice();
      const used = process.cpuUsage(before);
      // The first two slices only warm up the JIT.
      if (slice < 0) continue;
      costs[name]?.push((used.user + used.system) / perSlice);
      // Three slices more, for the bytes allocated per request (deterministic enough that three suffice).
      if (slice < 3) bytes[name]?.push((await allocated(runSlice)) / perSlice);
    }
  }
  for (const { close } of Object.values(contenders)) close();

  const bare = median(costs[bareName] ?? []);
  console.log(
    `${framework}, ${engine} engine: server CPU µs per ${options.newVisitors ? 'new' : 'returning'}-visitor request (median of ${options.slices} slices of ${perSlice})`,
  );
  for (const [name, list] of Object.entries(costs)) {
    const cost = median(list);
    const heap = median(bytes[name] ?? []);
    console.log(
      `  ${cost.toFixed(1).padStart(7)} µs (best ${Math.min(...list).toFixed(1)})   +${(cost - bare).toFixed(1).padStart(6)} over bare   ${Math.round(heap).toString().padStart(6)} B allocated   ${name}`,
    );
  }
}
