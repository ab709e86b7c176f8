import type { SessionRecord } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { dataToJson, decodeEnvelope, encodeEnvelope } from '../src/envelope.js';

const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  data: { user: 7, nested: { list: [1, 'two', null] }, data: 'a key named data' },
  expiresAt: 1_900_000_000_123,
  meta: {
    createdAt: 1_800_000_000_000,
    lastSeenAt: 1_800_000_100_000,
    owner: 'u-"data":1',
    deadline: 1_900_000_500_000,
  },
  ...over,
});

const encode = (r: SessionRecord) => encodeEnvelope(r.expiresAt, r.meta, dataToJson(r.data));

describe('envelope', () => {
  it('is one JSON object {v, exp, meta, data} with data last', () => {
    const r = record();
    const text = encode(r);
    expect(JSON.parse(text)).toEqual({ v: 1, exp: r.expiresAt, meta: r.meta, data: r.data });
    expect(Object.keys(JSON.parse(text))).toEqual(['v', 'exp', 'meta', 'data']);
  });

  it('round-trips the record and gives the exact data text', () => {
    const r = record();
    const decoded = decodeEnvelope(encode(r));
    expect(decoded?.record).toEqual(r);
    expect(decoded?.dataJson).toBe(JSON.stringify(r.data));
  });

  it('round-trips meta without the optional fields', () => {
    const r = record({ meta: { createdAt: 1, lastSeenAt: 2 } });
    const decoded = decodeEnvelope(encode(r));
    expect(decoded?.record.meta).toEqual({ createdAt: 1, lastSeenAt: 2 });
    expect(decoded?.record.meta).not.toHaveProperty('owner');
  });

  it('keeps only the contract fields of meta', () => {
    const meta = { createdAt: 1, lastSeenAt: 2, extra: 'x' } as SessionRecord['meta'];
    expect(JSON.parse(encodeEnvelope(5, meta, '{}')).meta).toEqual({ createdAt: 1, lastSeenAt: 2 });
  });

  it('re-encoding with new exp and meta around the same data text keeps the data bytes', () => {
    const r = record();
    const first = decodeEnvelope(encode(r));
    if (!first) throw new Error('not decoded');
    const touched = encodeEnvelope(r.expiresAt + 1000, { ...r.meta, lastSeenAt: 5 }, first.dataJson);
    expect(decodeEnvelope(touched)?.dataJson).toBe(first.dataJson);
    expect(decodeEnvelope(touched)?.record.expiresAt).toBe(r.expiresAt + 1000);
  });

  it.each([
    ['undefined (a miss)', undefined],
    ['a number', 42],
    ['not JSON', '{"v":1,'],
    ['JSON of another shape', '{"hello":"world"}'],
    ['another version', '{"v":2,"exp":1,"meta":{"createdAt":1,"lastSeenAt":1},"data":{}}'],
    ['exp not a number', '{"v":1,"exp":"1","meta":{"createdAt":1,"lastSeenAt":1},"data":{}}'],
    ['meta missing createdAt', '{"v":1,"exp":1,"meta":{"lastSeenAt":1},"data":{}}'],
    ['owner not a string', '{"v":1,"exp":1,"meta":{"createdAt":1,"lastSeenAt":1,"owner":3},"data":{}}'],
    ['data an array', '{"v":1,"exp":1,"meta":{"createdAt":1,"lastSeenAt":1},"data":[]}'],
    ['fields in another order', '{"data":{},"v":1,"exp":1,"meta":{"createdAt":1,"lastSeenAt":1}}'],
    ['extra whitespace', '{"v":1, "exp":1,"meta":{"createdAt":1,"lastSeenAt":1},"data":{}}'],
  ])('treats %s as no envelope', (_label, value) => {
    expect(decodeEnvelope(value)).toBeNull();
  });
});
