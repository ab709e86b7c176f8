import { describe, expect, it } from 'vitest';
import { jsonSerializer, parseJsonSafely } from '../../src/codecs/serializer.js';

describe('jsonSerializer', () => {
  it('is named json and round-trips data', () => {
    const value = { a: [1, 'two', { three: null }], b: true };
    expect(jsonSerializer.name).toBe('json');
    expect(jsonSerializer.parse(jsonSerializer.stringify(value))).toEqual(value);
  });

  it('throws a TypeError for a value JSON cannot hold', () => {
    expect(() => jsonSerializer.stringify(undefined)).toThrow(TypeError);
  });

  it('throws on invalid JSON', () => {
    expect(() => jsonSerializer.parse('{')).toThrow(SyntaxError);
  });
});

describe('parseJsonSafely against prototype pollution', () => {
  it.each([
    ['a top-level __proto__', '{"__proto__":{"polluted":true},"ok":1}'],
    ['a nested __proto__', '{"a":{"b":{"__proto__":{"polluted":true}}},"ok":1}'],
    ['an escaped __proto__', '{"\\u005f_proto__":{"polluted":true},"ok":1}'],
    ['__proto__ in an array element', '[{"__proto__":{"polluted":true}}]'],
  ])('drops %s', (_label, text) => {
    const parsed = parseJsonSafely(text) as Record<string, unknown>;
    expect(JSON.stringify(parsed)).not.toContain('polluted');
    const assigned: Record<string, unknown> = Object.assign({}, parsed);
    const spread: Record<string, unknown> = { ...parsed };
    expect(assigned.polluted).toBeUndefined();
    expect(spread.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(assigned)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops a constructor that carries a prototype, so a naive deep merge cannot reach Object.prototype', () => {
    const parsed = parseJsonSafely('{"constructor":{"prototype":{"polluted":true}},"ok":1}') as Record<
      string,
      unknown
    >;
    expect(Object.hasOwn(parsed, 'constructor')).toBe(false);
    expect(parsed.ok).toBe(1);
    const merge = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (typeof value === 'object' && value !== null) {
          const next = (target[key] ?? {}) as Record<string, unknown>;
          merge(next, value as Record<string, unknown>);
          target[key] = next;
        } else {
          target[key] = value;
        }
      }
    };
    merge({}, parsed);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps harmless keys named constructor or prototype', () => {
    expect(parseJsonSafely('{"constructor":"Ada","prototype":{"x":1}}')).toEqual({
      constructor: 'Ada',
      prototype: { x: 1 },
    });
  });

  it('parses escapes normally on the guarded path', () => {
    expect(parseJsonSafely('{"k":"\\u00e9"}')).toEqual({ k: 'é' });
  });
});
