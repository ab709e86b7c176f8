import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENDER_MODULES, startContender } from '../src/contenders/index.js';
import { LINEUP } from '../src/lineup.js';
import { verify } from '../src/prepare.js';
import { SPEED_TARGETS } from '../src/targets.js';

const byId = new Map(LINEUP.map((spec) => [spec.id, spec]));
const sessContenders = LINEUP.filter((spec) => spec.kind === 'sess');

describe('the line-up', () => {
  it('has unique ids and a module for every contender', () => {
    expect(byId.size).toBe(LINEUP.length);
    for (const spec of LINEUP) expect(Object.keys(CONTENDER_MODULES), spec.id).toContain(spec.module);
  });

  it('gives every sess contender a floor on the same framework and engine', () => {
    for (const spec of sessContenders) {
      const floor = spec.floor ? byId.get(spec.floor) : undefined;
      expect(floor, spec.id).toMatchObject({ kind: 'floor', framework: spec.framework, store: spec.store });
    }
  });

  it('pairs every peer reference with a peer on the same framework and engine', () => {
    for (const spec of LINEUP.filter((s) => s.peer)) {
      expect(byId.get(spec.peer ?? ''), spec.id).toMatchObject({
        kind: 'peer',
        framework: spec.framework,
        store: spec.store,
      });
    }
    for (const spec of LINEUP.filter((s) => s.kind === 'peer' && s.floor)) {
      expect(byId.get(spec.floor ?? ''), spec.id).toMatchObject({ kind: 'floor', store: spec.store });
    }
  });

  it('holds every sess contender to its floor on both mixes and to its peer on every mix', () => {
    for (const spec of sessContenders) {
      const mine = SPEED_TARGETS.filter((t) => t.subject === spec.id);
      expect(
        mine.filter((t) => t.reference === spec.floor).map((t) => [t.mix, t.ratio]),
        spec.id,
      ).toEqual([
        ['returning', 0.9],
        ['new', 0.9],
      ]);
      if (spec.peer) {
        expect(mine.filter((t) => t.reference === spec.peer).map((t) => t.mix)).toEqual([
          'returning',
          'read',
          'static',
          'new',
        ]);
      }
    }
  });

  it('makes every ioredis client in one place, auto-pipelined', () => {
    const dir = new URL('../src/contenders/', import.meta.url).pathname;
    const constructing = readdirSync(dir).filter((file) =>
      /new Redis\(/.test(readFileSync(join(dir, file), 'utf8')),
    );
    expect(constructing).toEqual(['clients.ts']);
    expect(readFileSync(join(dir, 'clients.ts'), 'utf8')).toMatch(/enableAutoPipelining: true/);
  });
});

describe('contenders that need no server do the workload', () => {
  const fileDir = mkdtempSync(join(tmpdir(), 'sess-bench-lineup-'));
  afterAll(() => rmSync(fileDir, { recursive: true, force: true }));

  for (const spec of LINEUP.filter((s) => s.needs.length === 0)) {
    it(spec.id, async () => {
      const running = await startContender(spec.module, { port: 0, variant: spec.variant, fileDir });
      try {
        const verdict = await verify(running.url, spec.kind === 'bare');
        expect(verdict.failures).toEqual([]);
      } finally {
        await running.close();
      }
    }, 30_000);
  }
});
