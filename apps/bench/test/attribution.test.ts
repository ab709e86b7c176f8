import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  classify,
  parsePerfMap,
  parseSelfCost,
  resolveName,
  selfCostOf,
  shortName,
  totalOf,
} from '../src/inproc/attribution.js';

const MAP = [
  '1000 100 JS:*runCommitStep file:///work/main/packages/core/dist/chunk-AB12.js:841:29',
  '1100 40 RegExp:[^\\t\\x20-\\x7e\\x80-\\xff]',
  '2000 80 JS:^old /work/main/node_modules/.pnpm/express@5.1.0/node_modules/express/lib/router.js:1:1',
  '2000 20 JS:*new /work/main/node_modules/.pnpm/express@5.1.0/node_modules/express/lib/router.js:9:9',
  '3000 1000 JS:*emit node:events:517:28',
  '3100 10 JS:~ file:///work/main/apps/bench/node_modules/.cache/inproc/chunk-X3Y7.mjs:3:1',
].join('\n');

/** A profile as callgrind writes it: compressed names, a call (whose cost line is the callee's), a recursion copy. */
const PROFILE = `# callgrind format
version: 1
positions: line
events: Ir
summary: 1111

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) 0x0000000000001010
0 100
cfn=(2) malloc
calls=3 0
0 900
+2 5
fn=(2)
0 600
fn=(3) 0x0000000000002010'2
* 6
fn=(4) 0x0000000000009999
0 400

totals: 1111
`;

describe('perf map names', () => {
  const map = parsePerfMap(MAP);

  it('resolves an address inside a code object, its end excluded', () => {
    expect(resolveName(map, '0x0000000000001000')).toMatch(/^JS:\*runCommitStep /);
    expect(resolveName(map, '0x00000000000010ff')).toMatch(/^JS:\*runCommitStep /);
    expect(resolveName(map, '0x0000000000001100')).toBe('RegExp:[^\\t\\x20-\\x7e\\x80-\\xff]');
    expect(resolveName(map, '0x0000000000001140')).toBe('0x0000000000001140');
  });

  it('takes the later of two code objects that hold the address, and looks past smaller ones', () => {
    expect(resolveName(map, '0x0000000000002010')).toMatch(/^JS:\*new /);
    expect(resolveName(map, '0x0000000000002050')).toMatch(/^JS:\^old /);
    expect(resolveName(map, '0x0000000000003500')).toBe('JS:*emit node:events:517:28');
  });

  it('leaves symbols and unknown addresses alone', () => {
    expect(resolveName(map, 'malloc')).toBe('malloc');
    expect(resolveName(map, '0x0000000000000fff')).toBe('0x0000000000000fff');
  });
});

describe('self cost of a callgrind profile', () => {
  it("counts each function's own lines, not the inclusive cost after calls=", () => {
    const cost = parseSelfCost(PROFILE);
    expect(Object.fromEntries(cost)).toEqual({
      '0x0000000000001010': 105,
      malloc: 600,
      '0x0000000000002010': 6,
      '0x0000000000009999': 400,
    });
    expect([...cost.values()].reduce((a, b) => a + b, 0)).toBe(totalOf(PROFILE));
  });

  describe('over files, through the perf map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attribution-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'perf.map'), MAP);
    writeFileSync(join(dir, 'p.1'), PROFILE);
    writeFileSync(join(dir, 'p.2'), PROFILE);
    writeFileSync(join(dir, 'bad'), PROFILE.replace('totals: 1111', 'totals: 1112'));

    it('sums the profiles by resolved name', () => {
      const cost = selfCostOf([join(dir, 'p.1'), join(dir, 'p.2')], join(dir, 'perf.map'));
      expect(cost.get('JS:*runCommitStep file:///work/main/packages/core/dist/chunk-AB12.js:841:29')).toBe(
        210,
      );
      expect(cost.get(resolveName(parsePerfMap(MAP), '0x0000000000002010'))).toBe(12);
      expect(cost.get('malloc')).toBe(1200);
      expect(cost.get('0x0000000000009999')).toBe(800);
    });

    it('throws when the functions do not add up to totals:', () => {
      expect(() => selfCostOf([join(dir, 'bad')], join(dir, 'perf.map'))).toThrow(/add up to 1111, not 1112/);
    });
  });
});

describe('groups', () => {
  it.each([
    ['JS:*runCommitStep file:///work/main/packages/core/dist/chunk-AB12.js:841:29', 'JS @sess/core'],
    [
      'JS:^handle /work/main/node_modules/.pnpm/express@5.1.0/node_modules/express/lib/router.js:1:1',
      'JS express',
    ],
    [
      'JS:*x /w/node_modules/.pnpm/@hono+node-server@2.1.0/node_modules/@hono/node-server/dist/a.js:1:1',
      'JS @hono/node-server',
    ],
    ['JS:*emit node:events:517:28', 'JS node internals'],
    ['JS:~ file:///work/main/apps/bench/node_modules/.cache/inproc/chunk-X3Y7.mjs:3:1', 'JS bench'],
    ['RegExp:[^\\t\\x20-\\x7e\\x80-\\xff]', 'regular expressions'],
    ['Builtins_RegExpPrototypeExec', 'regular expressions'],
    ['v8::internal::Scavenger::Process(v8::JobDelegate*)', 'garbage collection'],
    ['Builtins_RecordWriteSaveFP', 'garbage collection'],
    ['Builtins_KeyedLoadIC_Megamorphic', 'property look-ups and hidden classes'],
    ['v8::internal::JSObject::MigrateToMap(v8::internal::Isolate*)', 'property look-ups and hidden classes'],
    [
      'v8::internal::Map::NumberOfFields(v8::internal::ConcurrencyMode) const',
      'property look-ups and hidden classes',
    ],
    ['Builtins_PromiseResolveThenableJobTask', 'promises and microtasks'],
    ['Builtins_RunMicrotasks', 'promises and microtasks'],
    ['ossl_gcm_cipher_update', 'OpenSSL'],
    ['EVP_CipherUpdate', 'OpenSSL'],
    ['__strcmp_avx2', 'OpenSSL'],
    ['v8::internal::JsonStringifier::Serialize_(v8::internal::Handle<v8::internal::Object>)', 'JSON'],
    ['_int_malloc', 'malloc/free (libc)'],
    ['free', 'malloc/free (libc)'],
    ['v8::internal::compiler::GraphReducer::ReduceTop()', 'JIT compiler and deoptimization'],
    ['0x000000000d06cb00', 'JIT code not in the perf map'],
    ['v8::internal::Factory::AllocateRaw(int)', 'other V8/runtime'],
    ['__memcpy_avx_unaligned_erms', 'other V8/runtime'],
  ])('%s → %s', (name, group) => {
    expect(classify(name)).toBe(group);
  });
});

describe('short names', () => {
  it.each([
    [
      'JS:*runCommitStep file:///work/main/packages/core/dist/chunk-AB12.js:841:29',
      '*runCommitStep @sess/core/dist/chunk-AB12.js:841:29',
    ],
    [
      'JS:^handle /work/main/node_modules/.pnpm/express@5.1.0/node_modules/express/lib/router.js:1:1',
      '^handle express/lib/router.js:1:1',
    ],
    ['JS:*get headers node:_http_incoming:108:16', '*get headers node:_http_incoming:108:16'],
    [
      'JS:~ file:///work/main/apps/bench/node_modules/.cache/inproc/chunk-X3Y7.mjs:3:1',
      '~(anonymous) bench/chunk-X3Y7.mjs:3:1',
    ],
    ['Builtins_KeyedLoadIC_Megamorphic', 'Builtins_KeyedLoadIC_Megamorphic'],
  ])('%s → %s', (name, short) => {
    expect(shortName(name)).toBe(short);
  });

  it('cuts long C++ signatures', () => {
    expect(shortName(`v8::internal::f(${'x'.repeat(200)})`)).toHaveLength(120);
  });
});
