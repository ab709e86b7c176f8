import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../src/codecs/python-json.js';
import { readFixture } from './fixtures.js';

interface PythonFixtures {
  floats: number[];
  floats_json: string;
  strings: string[];
  strings_json: string;
  cases: { name: string; input: unknown; json: string }[];
}

const fixtures = readFixture<PythonFixtures>('django-fixtures.json');

describe('pythonJsonDumps matches the real Python json.dumps', () => {
  it('for every code unit 0..0x80, non-ASCII, astral and lone surrogates', () => {
    expect(pythonJsonDumps(fixtures.strings)).toBe(fixtures.strings_json);
  });

  it('for non-integral floats (repr layout: 1e-05, 0.0001, 1000000000000000.2)', () => {
    expect(pythonJsonDumps(fixtures.floats)).toBe(fixtures.floats_json);
  });

  it.each(fixtures.cases.map((each) => [each.name, each] as const))('for the %s session', (_name, each) => {
    expect(pythonJsonDumps(each.input)).toBe(each.json);
  });
});

describe('pythonJsonDumps', () => {
  it('writes compact separators and keeps insertion order', () => {
    expect(pythonJsonDumps({ b: 1, a: [true, false, null], c: { d: 'e' } })).toBe(
      '{"b":1,"a":[true,false,null],"c":{"d":"e"}}',
    );
  });

  it('escapes non-ASCII with lower-case hex and astral characters as surrogate pairs', () => {
    expect(pythonJsonDumps('Zoë ☃ 😀')).toBe('"Zo\\u00eb \\u2603 \\ud83d\\ude00"');
    expect(pythonJsonDumps('\u00ff\u0100\uffff')).toBe('"\\u00ff\\u0100\\uffff"');
  });

  it('uses the short escapes, \\u00XX for other controls, and escapes DEL as Python does', () => {
    expect(pythonJsonDumps('"\\\n\r\t\b\f')).toBe('"\\"\\\\\\n\\r\\t\\b\\f"');
    expect(pythonJsonDumps('\u0000\u0001\u000b\u001f')).toBe('"\\u0000\\u0001\\u000b\\u001f"');
    expect(pythonJsonDumps('\u007f')).toBe('"\\u007f"');
  });

  it('leaves / and printable ASCII alone', () => {
    expect(pythonJsonDumps('a/b </script> ~')).toBe('"a/b </script> ~"');
  });

  it('writes lone surrogates as escapes', () => {
    expect(pythonJsonDumps('\ud800x\udc00')).toBe('"\\ud800x\\udc00"');
  });

  it('escapes keys like values', () => {
    expect(pythonJsonDumps({ 'kë"y': 1 })).toBe('{"k\\u00eb\\"y":1}');
  });

  it.each([
    [1, '1'],
    [-0, '0'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e-7, '1e-07'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-0.00001, '-1e-05'],
    [123456.789, '123456.789'],
    [2 ** 53, '9007199254740992'],
    [1e21, '1e+21'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
  ])('writes the number %d as %s', (value, text) => {
    expect(pythonJsonDumps(value)).toBe(text);
  });

  it('follows JSON.stringify for JavaScript-only values', () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(pythonJsonDumps({ date, u: undefined, f: () => 1, s: Symbol('x') })).toBe(
      '{"date":"2024-01-02T03:04:05.000Z"}',
    );
    expect(pythonJsonDumps([undefined, () => 1])).toBe('[null,null]');
    expect(pythonJsonDumps([new String('é'), new Number(2), new Boolean(false)])).toBe('["\\u00e9",2,false]');
    expect(pythonJsonDumps({ toJSON: (key: string) => `key:${key}` })).toBe('"key:"');
  });

  it('writes a bigint as its digits, like a Python int', () => {
    expect(pythonJsonDumps({ id: 12345678901234567890n })).toBe('{"id":12345678901234567890}');
  });

  it('orders integer-like keys first, as JavaScript objects do', () => {
    expect(pythonJsonDumps({ b: 1, 2: 2, 1: 3 })).toBe('{"1":3,"2":2,"b":1}');
  });

  it('matches JSON.stringify on ASCII-only data', () => {
    const value = { a: [1, 2.5, 'x', null, { b: true }], c: 'd/e', f: -3 };
    expect(pythonJsonDumps(value)).toBe(JSON.stringify(value));
  });

  it('throws a TypeError on cycles and on an unserializable top-level value', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => pythonJsonDumps(cycle)).toThrow(TypeError);
    expect(() => pythonJsonDumps(undefined)).toThrow(TypeError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(pythonJsonDumps([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});
