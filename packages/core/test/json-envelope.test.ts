import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelopeText, type RecordMeta } from '../src/store/index.js';

const instant = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER + 2),
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\ud800', '"data":1', '\u2028'),
);
const meta = fc.record(
  {
    createdAt: instant,
    lastSeenAt: instant,
    owner: text,
    previous: text,
    next: text,
    deadline: instant,
    lifetime: instant,
  },
  { requiredKeys: ['createdAt', 'lastSeenAt'] },
);

/** The envelope as JSON.stringify lays it out: the contract's meta fields in their fixed order. */
function stringified(expiresAt: number, m: RecordMeta, dataJson: string): string {
  const ordered: Record<string, unknown> = {};
  for (const name of [
    'createdAt',
    'lastSeenAt',
    'owner',
    'previous',
    'next',
    'deadline',
    'lifetime',
  ] as const) {
    if (m[name] !== undefined) ordered[name] = m[name];
  }
  return JSON.stringify({ v: 1, expiresAt, meta: ordered, data: JSON.parse(dataJson) });
}

describe('the JSON envelope', () => {
  it('is exactly what JSON.stringify makes of {v, expiresAt, meta, data}, and decodes back', () => {
    fc.assert(
      fc.property(instant, meta, fc.dictionary(fc.string(), fc.jsonValue()), (expiresAt, m, data) => {
        const dataJson = JSON.stringify(data);
        const encoded = encodeEnvelopeText(expiresAt, m, dataJson);
        expect(encoded).toBe(stringified(expiresAt, m, dataJson));
        const decoded = decodeEnvelope(encoded);
        expect(decoded?.dataJson).toBe(dataJson);
        expect(decoded?.record.expiresAt).toBe(expiresAt === 0 ? 0 : expiresAt);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a value laid out otherwise (meta fields in another order, an extra field)', () => {
    const reordered = '{"v":1,"expiresAt":5,"meta":{"lastSeenAt":2,"createdAt":1},"data":{}}';
    const extra = '{"v":1,"expiresAt":5,"meta":{"createdAt":1,"lastSeenAt":2,"x":3},"data":{}}';
    expect(
      decodeEnvelope('{"v":1,"expiresAt":5,"meta":{"createdAt":1,"lastSeenAt":2},"data":{}}'),
    ).not.toBeNull();
    expect(decodeEnvelope(reordered)).toBeNull();
    expect(decodeEnvelope(extra)).toBeNull();
  });
});
