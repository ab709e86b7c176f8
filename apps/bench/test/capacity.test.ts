import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sess/test-harness';
import { type Server, startMemcached, startRedis } from '@sess/test-harness/servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capacityMarkdown, capacityTables, tripList } from '../src/capacity/capacity-markdown.js';
import { type CapacityResults, measureCapacity } from '../src/capacity/capacity-results.js';
import { ENGINES } from '../src/capacity/engines.js';
import { capacityBlock } from '../src/capacity/readme-section.js';
import { SESSION_KINDS } from '../src/capacity/session-kinds.js';
import { REQUEST_KINDS } from '../src/capacity/visitor.js';
import { workedExample } from '../src/capacity/worked-example.js';

/**
 * The root README's "Capacity" section quotes results/capacity.json. This file measures every figure
 * again against real servers, through the same code as `pnpm --filter @sess/bench capacity`: round trips
 * and commands must be exactly the quoted ones, bytes at rest within 10%, and the README section and
 * results/capacity.md must be what the JSON renders. A change that moves a figure fails here until the
 * command is run again (`--readme`) and its new figures are committed.
 */
const quoted = JSON.parse(
  readFileSync(new URL('../results/capacity.json', import.meta.url), 'utf8'),
) as CapacityResults;
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const markdown = readFileSync(new URL('../results/capacity.md', import.meta.url), 'utf8');

const TOLERANCE = 0.1;

/** Every number of `measured` within {@link TOLERANCE} of the one at the same place in `expected`; the rest equal. */
function expectClose(measured: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof measured, path).toBe('number');
    const allowed = Math.abs(expected) * TOLERANCE;
    expect(
      Math.abs((measured as number) - expected),
      `${path}: ${measured} vs ${expected}`,
    ).toBeLessThanOrEqual(allowed);
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    expect(Object.keys(measured as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      expectClose((measured as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  expect(measured, path).toEqual(expected);
}

// Own Redis and memcached: their counters must see this file's traffic only.
let redis: Server;
let memcached: Server;
let database: TestDatabase;
let fileDir: string;
let measured: CapacityResults;

beforeAll(async () => {
  [redis, memcached, database, fileDir] = await Promise.all([
    startRedis(),
    startMemcached(),
    createTestDatabase('bench_capacity'),
    mkdtemp(join(tmpdir(), 'sess-capacity-test-')),
  ]);
  measured = await measureCapacity(
    {
      redisUrl: redis.url,
      databaseUrl: database.url,
      memcachedServers: [memcached.address],
      fileDir,
    },
    quoted.measuredOn.bulk,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([redis?.close(), memcached?.close(), database?.drop()]);
  if (fileDir) await rm(fileDir, { recursive: true, force: true });
});

describe('round trips and commands per request, exactly as the README quotes them', () => {
  for (const engine of ENGINES) {
    for (const kind of REQUEST_KINDS) {
      const expected = quoted.requests[engine][kind];
      const server = expected.server ? `, server ${tripList(expected.server.trips)}` : '';
      it(`${engine} ${kind}: store ${tripList(expected.store)}${server}`, () => {
        expect(measured.requests[engine][kind]).toEqual(expected);
      });
    }
  }

  it("holds the issue's targets: modifying 1 read + 1 write, unmodified 1 read, untouched 0", () => {
    for (const engine of ENGINES) {
      expect(measured.requests[engine].modifying.store, engine).toEqual(['load', 'update']);
      expect(measured.requests[engine].unmodified.store, engine).toEqual(['load']);
      expect(measured.requests[engine].untouched.store, engine).toEqual([]);
    }
  });
});

describe('bytes at rest, within 10% of what the README quotes', () => {
  for (const engine of ['redis', 'postgres', 'memcached', 'file'] as const) {
    for (const kind of SESSION_KINDS) {
      it(`${engine}, ${kind} session`, () => {
        expectClose(measured.bytes[engine][kind], quoted.bytes[engine][kind], `${engine}.${kind}`);
      });
    }
  }

  it('the worked example scales the measured figures within the same 10%', () => {
    expectClose(measured.example, quoted.example, 'example');
  });
});

describe('what the README and results/capacity.md quote', () => {
  it('the worked example is computed from the quoted figures', () => {
    expect(quoted.example).toEqual(workedExample(quoted));
  });

  it("the README's Capacity section is what capacity.json renders", () => {
    expect(capacityBlock(readme)).toBe(capacityTables(quoted));
  });

  it('results/capacity.md is what capacity.json renders', () => {
    expect(markdown).toBe(capacityMarkdown(quoted));
  });

  it('puts the Capacity section right after Requirements', () => {
    const headings = readme.split('\n').filter((line) => line.startsWith('## '));
    expect(headings[headings.indexOf('## Requirements') + 1]).toBe('## Capacity');
  });
});

describe('tripList', () => {
  it('counts the trips and groups a repeated one', () => {
    expect(tripList([])).toBe('0');
    expect(tripList(['HGETALL', 'EVALSHA', 'EVALSHA', 'EVALSHA', 'EVALSHA'])).toBe(
      '5: `HGETALL` + 4 × `EVALSHA`',
    );
    expect(tripList(['get', 'cas'])).toBe('2: `get` + `cas`');
  });
});
