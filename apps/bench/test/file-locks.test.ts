import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  drive,
  firstVisit,
  nextVisit,
  sessionIds,
  storeWriter,
  type Visit,
} from '../src/file-locks/drive.js';
import { FILE_PROTOCOLS, floorProtocol } from '../src/file-locks/protocols.js';

const root = mkdtempSync(join(tmpdir(), 'file-locks-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let directories = 0;
const freshDirectory = (): string => {
  const directory = join(root, String(directories++));
  mkdirSync(directory, { mode: 0o700 });
  return directory;
};

const ids = sessionIds(6);
const seedContent = Buffer.from(JSON.stringify(firstVisit()));
const visitsIn = (directory: string, id: string): number =>
  (JSON.parse(readFileSync(join(directory, id), 'utf8')) as Visit).visits;

describe('nextVisit', () => {
  it('adds one visit and keeps the padding', () => {
    const next = JSON.parse(nextVisit(seedContent).toString('utf8')) as Visit;
    expect(next).toEqual({ visits: 1, pad: 'x'.repeat(150) });
  });
});

const named = (protocols: typeof FILE_PROTOCOLS) =>
  protocols.map((protocol) => [protocol.name, protocol] as const);

describe.each(named(FILE_PROTOCOLS))('%s', (_name, protocol) => {
  it('counts every visit of one-at-a-time requests and leaves only the sessions behind', async () => {
    const directory = freshDirectory();
    const writer = protocol.open(directory);
    for (const id of ids) await writer.seed(id, seedContent);
    await drive(writer, ids, 60, 8, true);
    await writer.close();
    expect(ids.reduce((sum, id) => sum + visitsIn(directory, id), 0)).toBe(60);
    expect(readdirSync(directory).sort()).toEqual([...ids].sort());
  });

  it('says how many directory entries a write changes, and what it gives up against the store', () => {
    expect([2, 4, 6]).toContain(protocol.directoryChanges);
    expect(protocol.givesUp === '').toBe(protocol.directoryChanges === 6);
  });
});

describe.each(named(FILE_PROTOCOLS.filter((protocol) => protocol !== floorProtocol)))(
  '%s',
  (_name, protocol) => {
    it('loses no visit when requests on one session overlap (it re-reads under its lock)', async () => {
      const directory = freshDirectory();
      const writer = protocol.open(directory);
      const [only] = ids;
      await writer.seed(only as string, seedContent);
      await drive(writer, [only as string], 40, 8, false);
      await writer.close();
      expect(visitsIn(directory, only as string)).toBe(40);
    });
  },
);

describe('@sess/store-file as a contender', () => {
  // (Overlapping requests that each set `visits` from what they loaded keep the last one's value, as a
  // session keeps the last write of a key: the line-up's requests never overlap on one session.)
  it('counts every visit of one-at-a-time requests', async () => {
    const directory = join(freshDirectory(), 'store');
    const writer = storeWriter(directory);
    for (const id of ids) await writer.seed(id, seedContent);
    await drive(writer, ids, 30, 8, true);
    const counts = await Promise.all(ids.map(async (id) => (await writer.store.load(id))?.data.visits));
    await writer.close();
    expect(counts.reduce((sum: number, visits) => sum + Number(visits), 0)).toBe(30);
    expect(readdirSync(directory)).toHaveLength(ids.length);
  });
});
