/**
 * One contender's request loop, for callgrind (`valgrind.ts` runs it):
 * `node child.mjs --framework koa --engine memory --kind sess --root <checkout> --warmup W --requests N
 *  --segments S --marker <file> [--go <file>]`.
 *
 * Warm-up: W requests. With `--go`, it then writes `ready` and waits (spinning, so that valgrind keeps
 * running and sees the command) until the file exists: the parent switches callgrind's instrumentation on
 * in between. Then `fdatasync` on the marker file, and S segments of N requests, each followed by
 * `fdatasync` again: callgrind, run with `--dump-before=uv_fs_fdatasync`, writes a profile (and zeroes its
 * counters) at each, so the first one closes the start-up and warm-up and the others hold one segment each
 * (or parts of one: `valgrind.ts` also has a profile written after each full garbage collection). Each
 * request first reads `process.ppid`, one call of libuv's `uv_os_getppid`, which nothing else calls: the
 * profiles' call counts of that function say how many requests each one holds. A last request, not counted,
 * checks the answer. The result line (JSON) goes to stdout.
 */
import { closeSync, existsSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { contender, type Framework, type Kind } from './contender.js';
import { bodyOf, visit } from './drive.js';
import type { Engine } from './engines.js';
import type { Handler } from './handler.js';

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'koa' },
    engine: { type: 'string', default: 'memory' },
    kind: { type: 'string', default: 'sess' },
    root: { type: 'string', default: fileURLToPath(new URL('../../../..', import.meta.url)) },
    warmup: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '1000' },
    segments: { type: 'string', default: '2' },
    marker: { type: 'string' },
    go: { type: 'string' },
    'redis-url': { type: 'string' },
  },
});

let parents = 0;
async function run(handler: Handler, cookie: string | undefined, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    if (process.ppid > 0) parents++;
    await visit(handler, cookie);
  }
}

function waitFor(file: string): void {
  writeSync(1, 'ready\n');
  const deadline = Date.now() + 300_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`inproc child: no ${file} after 5 minutes`);
  }
}

const warmup = Number(values.warmup);
const requests = Number(values.requests);
const segments = Number(values.segments);
const app = await contender({
  kind: values.kind as Kind,
  framework: values.framework as Framework,
  engine: values.engine as Engine,
  root: values.root,
  redisUrl: values['redis-url'],
});
const marker = openSync(values.marker ?? '/tmp/inproc-marker', 'w');

await run(app.handler, app.cookie, warmup);
if (values.go) waitFor(values.go);
fdatasyncSync(marker);
for (let segment = 0; segment < segments; segment++) {
  await run(app.handler, app.cookie, requests);
  fdatasyncSync(marker);
}
const body = bodyOf(await visit(app.handler, app.cookie));
const expected = app.expectedBody(warmup + segments * requests);
closeSync(marker);
app.close();
writeSync(
  1,
  `${JSON.stringify({ ok: body === expected && parents === warmup + segments * requests, body, expected })}\n`,
);
process.exit(0);
