import type { SessionData } from '@sess/core/store';
import { describe, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import { expectRawData, makeRecord, makeUpdate, openStore, seed } from './support.js';

/** About 200 KB of varied JSON: an array of objects mixing ASCII, accents and astral characters. */
function largeValue(): SessionData {
  const rows = Array.from({ length: 1600 }, (_, i) => ({
    id: i,
    label: `row ${i} — ünïcødé 𝔘 ${'x'.repeat(i % 50)}`,
    flags: [i % 2 === 0, i % 3 === 0],
    score: i / 7,
  }));
  return { rows, blob: 'sess-'.repeat(20_000) };
}

/** The samples every engine must store and return exactly, by name. */
const samples: Record<string, () => SessionData> = {
  'nested objects and arrays': () => ({
    user: { id: 7, roles: ['admin', 'editor'], profile: { address: { city: 'Lyon', lines: ['1', '2'] } } },
    matrix: [
      [1, 2],
      [3, [4, [5, []]]],
    ],
    list: [{ a: 1 }, { b: [{ c: {} }] }],
  }),
  unicode: () => ({
    accents: 'héllo wörld çà',
    cjk: '日本語のテキスト',
    astral: '😀 👩‍👩‍👧 𝕳 🇫🇷',
    nul: 'abc\u0000def',
    rtl: 'مرحبا بالعالم עברית',
    override: 'a\u202eb\u200dc\ufeffd',
    separators: 'line\u2028para\u2029end',
    controls: 'tab\tnew\nreturn\r\u0001\u001f',
    quotes: `"double" 'single' \`back\` \\ /`,
    'ключ 🔑': 'unicode key',
  }),
  numbers: () => ({
    zero: 0,
    int: 42,
    negative: -17,
    float: 0.1,
    negativeFloat: -2.5e-7,
    big: Number.MAX_SAFE_INTEGER,
    small: Number.MIN_SAFE_INTEGER,
    huge: Number.MAX_VALUE,
    tiny: Number.MIN_VALUE,
    list: [0, 1, -1, Math.PI],
  }),
  'booleans, null and empties': () => ({
    yes: true,
    no: false,
    nothing: null,
    emptyObject: {},
    emptyArray: [],
    emptyString: '',
    nested: { inner: { deeper: null } },
  }),
  'a value of about 200 KB': largeValue,
  'an empty data object': () => ({}),
};

/** Data survives the trip through the engine exactly: nesting, unicode, numbers, size, odd key names. */
export function serializationTests(options: StoreSuiteOptions): void {
  describe.concurrent('serialization', () => {
    for (const [name, sample] of Object.entries(samples)) {
      it(`round-trips ${name} through create and update`, async (context) => {
        const { expect } = context;
        const store = await openStore(options, context);
        const record = makeRecord({ data: sample() });
        const key = await seed(store, expect, record);
        expect((await store.load(key))?.data).toEqual(sample());
        await expectRawData(options, store, key, sample(), expect);
        const wrapped = { again: sample() };
        expect(await store.update(key, makeUpdate({ data: wrapped }))).toBe(true);
        expect((await store.load(key))?.data).toEqual({ again: sample() });
      });
    }

    it('stores __proto__ and constructor as own data without polluting Object.prototype', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const data = JSON.parse(
        '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":1,"toString":"x","hasOwnProperty":2}',
      ) as SessionData;
      const key = await seed(store, expect, makeRecord({ data }));
      const loaded = await store.load(key);
      const own = loaded?.data ?? {};
      expect(Object.keys(own).sort()).toEqual([
        '__proto__',
        'constructor',
        'hasOwnProperty',
        'prototype',
        'toString',
      ]);
      expect(Object.getOwnPropertyDescriptor(own, '__proto__')?.value).toEqual({ polluted: 'yes' });
      expect(Object.getOwnPropertyDescriptor(own, 'constructor')?.value).toEqual({
        prototype: { polluted: 'yes' },
      });
      expect(own.toString).toBe('x');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      if (options.raw?.data) {
        const raw = options.raw.data(await options.raw.read(store, key));
        expect(Object.getOwnPropertyDescriptor(raw ?? {}, '__proto__')?.value).toEqual({ polluted: 'yes' });
      }
    });

    it('delivers top-level keys that look like metadata as plain data', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const data = { expiresAt: 1, meta: { owner: 'x' }, data: 'inner', createdAt: 'no', lastSeenAt: null };
      const record = makeRecord({ data });
      const key = await seed(store, expect, record);
      const loaded = await store.load(key);
      expect(loaded?.data).toEqual(data);
      expect(loaded?.expiresAt).not.toBe(1);
      expect(loaded?.meta.owner).toBeUndefined();
    });
  });
}
