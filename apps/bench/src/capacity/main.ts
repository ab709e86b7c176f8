/**
 * `pnpm --filter @sess/bench capacity [--bulk N] [--readme]`: starts a Redis, a PostgreSQL and a memcached
 * of its own, measures what each request kind costs every engine and what a session takes at rest, prints
 * the tables and writes results/capacity.json and results/capacity.md; `--readme` also rewrites the
 * figures of the root README's "Capacity" section. test/capacity.test.ts measures the same again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { capacityMarkdown, capacityTables } from './capacity-markdown.js';
import { DEFAULT_BULK, measureCapacity } from './capacity-results.js';
import { withCapacityBlock } from './readme-section.js';
import { startCapacityServers } from './start-servers.js';

const { values } = parseArgs({
  options: {
    bulk: { type: 'string', default: String(DEFAULT_BULK) },
    readme: { type: 'boolean', default: false },
  },
});
const bulk = Number(values.bulk);
if (!Number.isInteger(bulk) || bulk < 100)
  throw new Error(`capacity: --bulk takes an integer >= 100, not ${values.bulk}`);

const running = await startCapacityServers();
let results: Awaited<ReturnType<typeof measureCapacity>>;
try {
  results = await measureCapacity(running.servers, bulk);
} finally {
  await running.close();
}
const resultsDir = new URL('../../results/', import.meta.url);
await writeFile(new URL('capacity.json', resultsDir), `${JSON.stringify(results, null, 2)}\n`);
const markdown = capacityMarkdown(results);
await writeFile(new URL('capacity.md', resultsDir), markdown);
if (values.readme) {
  const readme = new URL('../../../../README.md', import.meta.url);
  await writeFile(readme, withCapacityBlock(await readFile(readme, 'utf8'), capacityTables(results)));
}
console.log(markdown);
