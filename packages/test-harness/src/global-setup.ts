/**
 * vitest globalSetup (root `vitest.config.ts`, `test.globalSetup`): starts every server once for the whole
 * run, in the main vitest process, and publishes the addresses twice: `project.provide('sessHarness', …)`
 * for `inject`, and `process.env` (DATABASE_URL, REDIS_URL, …), which the test workers inherit.
 *
 * `SESS_HARNESS=off` skips it for quick unit runs (never with CI=true: there it is ignored).
 */
import type { TestProject } from 'vitest/node';
import { isCI } from './binaries.js';
import { PROVIDE_KEY } from './context.js';
import { contextToEnv } from './env.js';
import { startHarness } from './harness.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (/^(off|0|false|no)$/i.test(process.env.SESS_HARNESS ?? '')) {
    if (!isCI()) {
      process.stderr.write('[sess-harness] SESS_HARNESS=off: no servers started; engine tests will fail\n');
      return async () => {};
    }
    process.stderr.write('[sess-harness] SESS_HARNESS=off is ignored with CI=true\n');
  }
  const started = performance.now();
  const harness = await startHarness(process.env);
  process.stderr.write(`[sess-harness] ready in ${Math.round(performance.now() - started)} ms\n`);

  project.provide(PROVIDE_KEY, harness.context);
  const env = contextToEnv(harness.context);
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);

  return async () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const stopping = performance.now();
    await harness.close();
    process.stderr.write(`[sess-harness] stopped in ${Math.round(performance.now() - stopping)} ms\n`);
  };
}
