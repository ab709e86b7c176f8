/**
 * The entry of one contender's server process: `node --import tsx src/server-child.ts '<json>'` where the
 * JSON is `{ module, options }`. Prints `READY <url>` once listening; closes on SIGTERM/SIGINT or when its
 * stdin ends (the runner died).
 */
import { startContender } from './contenders/index.js';
import type { StartOptions } from './contenders/types.js';

const { module, options } = JSON.parse(process.argv[2] ?? '{}') as { module: string; options: StartOptions };
const running = await startContender(module, options);
process.stdout.write(`READY ${running.url}\n`);

let closing = false;
async function stop(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    await running.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
