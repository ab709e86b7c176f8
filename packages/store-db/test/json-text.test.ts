import { describe, expect, it } from 'vitest';
import { createDbStore, decodeJsonText, encodeJsonText } from '../src/index.js';
import { newKey, openTestDb, rawRow, record, uniqueTable } from './support.js';

/** Strings jsonb refuses or that look like the encoding itself. */
const tricky: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['NUL twice', '\u0000\u0000'],
  ['the marker', '\uE000'],
  ['the marker followed by 1', '\uE0001'],
  ['the marker followed by what looks like an encoded escape', '\uE0002d800'],
  ['a backslash then "u0000" (not an escape)', '\\u0000'],
  ['two backslashes then NUL', '\\\\\u0000'],
  ['a backslash then NUL', '\\\u0000'],
  ['a lone high surrogate', 'x\ud800y'],
  ['a lone low surrogate', '\udfff'],
  ['a reversed pair', '\udc00\ud800'],
  ['a valid pair (left alone)', '😀'],
  ['other control characters (left alone)', '\u0001\u001f\t'],
];

describe('JSON text that jsonb accepts', () => {
  it.each(tricky)('round-trips %s in the text codec', (_name, value) => {
    const json = JSON.stringify({ [value]: value, nested: [value, { k: value }] });
    const encoded = encodeJsonText(json);
    // No escape jsonb refuses is left: an odd run of backslashes before u0000 or a lone surrogate.
    expect(encoded).not.toMatch(/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i);
    expect(JSON.parse(decodeJsonText(encoded))).toEqual(JSON.parse(json));
  });

  it('leaves ordinary JSON text untouched', () => {
    const json = JSON.stringify({ a: 'héllo', b: [1, 2.5, null], c: 'tab\there', d: '\\u0041' });
    expect(encodeJsonText(json)).toBe(json);
    expect(decodeJsonText(json)).toBe(json);
  });

  describe('through PostgreSQL', async () => {
    const db = await openTestDb('store_db_json');
    const table = uniqueTable('json');
    const store = createDbStore(db.pool, { tableName: table });
    await store.migrate();

    it.each(tricky)('stores and loads %s as key and value', async (_name, value) => {
      const key = newKey();
      const data = { [value]: value, list: [value], deep: { [value]: { v: value } } };
      expect(await store.create(key, record(data, Date.now()))).toBe(true);
      expect((await store.load(key))?.data).toEqual(data);
      const raw = await rawRow(db.pool, table, key);
      expect(JSON.parse(decodeJsonText(raw?.data as string))).toEqual(data);
    });

    it('needs the encoding: jsonb itself refuses NUL and lone surrogates', async () => {
      await expect(db.pool.query('SELECT $1::jsonb', ['"a\\u0000b"'])).rejects.toThrow(
        /unsupported Unicode escape/,
      );
      await expect(db.pool.query('SELECT $1::jsonb', ['"\\ud800"'])).rejects.toThrow(
        /invalid input syntax for type json/,
      );
    });

    it('stores NUL as the private-use marker, so SQL sees text it can index and compare', async () => {
      const key = newKey();
      await store.create(key, record({ s: 'a\u0000b' }, Date.now()));
      const { rows } = await db.pool.query(`SELECT data->>'s' AS s FROM "${table}" WHERE key = $1`, [key]);
      expect(rows[0].s).toBe('a\uE0002' + '0000b');
    });
  });
});
