/**
 * `pnpm --dir apps/bench file-locks`: what a returning visitor's modifying request costs the file engine, by
 * lock protocol. In one process, in rounds, the contenders take turns: the floor's temp file and rename (no
 * lock), `@sess/store-file` itself, its lock protocol in bare system calls, and three cheaper lock protocols
 * it could use, each giving up something the store promises (`src/file-locks/protocols.ts`). Each turn is
 * `--requests` requests over a pool of sessions, `--concurrency` in flight, never two on one session;
 * the CPU time of the whole process (every thread: the file system work runs on libuv's pool) is divided by
 * the requests. Printed: per contender the median µs per request, and the median of the per-round ratios
 * "floor's CPU / contender's CPU" (the line-up's "by CPU per request"). Run it pinned, as the line-up's
 * server is: `taskset -c 0 pnpm --dir apps/bench file-locks`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive, firstVisit, sessionIds, storeWriter } from './file-locks/drive.js';
import {
  FILE_PROTOCOLS,
  floorProtocol,
  linkLockProtocol,
  type ProtocolWriter,
} from './file-locks/protocols.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
    sessions: { type: 'string', default: '1000' },
  },
});
const count = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
};
const rounds = count('rounds');
const requests = count('requests');
const concurrency = count('concurrency');
const ids = sessionIds(count('sessions'));

interface Contender {
  name: string;
  directoryChanges: string;
  givesUp: string;
  writer: ProtocolWriter;
  perRequestUs: number[];
}

/** The store makes its own directory, private to the user; the bare protocols get the same. */
const mkdirPrivate = (directory: string): void => mkdirSync(directory, { mode: 0o700 });

const root = mkdtempSync(join(tmpdir(), 'sess-file-locks-'));
const contenders: Contender[] = [];
const add = (
  name: string,
  directoryChanges: string,
  givesUp: string,
  make: (dir: string) => ProtocolWriter,
) => {
  const directory = join(root, String(contenders.length));
  contenders.push({ name, directoryChanges, givesUp, writer: make(directory), perRequestUs: [] });
};
for (const protocol of FILE_PROTOCOLS) {
  add(protocol.name, String(protocol.directoryChanges), protocol.givesUp || '—', (directory) => {
    mkdirPrivate(directory);
    return protocol.open(directory);
  });
  // The store itself right after the floor; its directory changes are its protocol's.
  if (protocol === floorProtocol) {
    add('@sess/store-file (createFileStore)', String(linkLockProtocol.directoryChanges), '—', storeWriter);
  }
}

const seedContent = Buffer.from(JSON.stringify(firstVisit()));
for (const contender of contenders) {
  for (const id of ids) await contender.writer.seed(id, seedContent);
}

for (let round = 0; round < rounds; round++) {
  // Each round starts with another contender, so none is always first after a pause.
  for (let turn = 0; turn < contenders.length; turn++) {
    const contender = contenders[(round + turn) % contenders.length] as Contender;
    const before = process.cpuUsage();
    await drive(contender.writer, ids, requests, concurrency, true);
    const used = process.cpuUsage(before);
    contender.perRequestUs.push((used.user + used.system) / requests);
  }
}
for (const contender of contenders) await contender.writer.close();
rmSync(root, { recursive: true, force: true });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const floorRow = contenders[0] as Contender;
console.log(
  `${rounds} rounds × ${requests} modifying requests per contender, ${concurrency} in flight, ${ids.length} sessions, in ${tmpdir()}\n`,
);
console.log(
  '| contender | directory entries changed per write | CPU µs per request | × the floor (by CPU) | gives up |',
);
console.log('|---|---:|---:|---:|---|');
for (const contender of contenders) {
  const ratios = contender.perRequestUs.map((us, round) => (floorRow.perRequestUs[round] as number) / us);
  console.log(
    `| ${contender.name} | ${contender.directoryChanges} | ${median(contender.perRequestUs).toFixed(0)} | ${median(ratios).toFixed(2)}× | ${contender.givesUp} |`,
  );
}
