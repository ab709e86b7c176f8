import {
  decodeEnvelope,
  encodeEnvelope,
  encodeEnvelopeText,
  generateSessionKey as key,
  type SessionRecord,
} from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { createMemcachedStore } from '../src/index.js';
import { change, randomPrefix, rawGet, reply, setting, testClients } from './support.js';

// The store writes core's JSON envelope (`@sess/core/store`), the one store-file writes too.
const { client, raw } = testClients();

const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  data: { user: 7, nested: { list: [1, 'two', null] }, data: 'a key named data' },
  expiresAt: Date.now() + 600_000,
  meta: {
    createdAt: 1_800_000_000_000,
    lastSeenAt: 1_800_000_100_000,
    owner: 'u-"data":1',
    deadline: Date.now() + 900_000,
    lifetime: 600,
    previous: 'p'.repeat(40),
  },
  ...over,
});

describe('the envelope in memcached', () => {
  it('is one JSON object {v, expiresAt, meta, data} with data last, as core encodes it', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const r = record();
    const id = key();
    expect(await store.create(id, r)).toBe(true);
    const text = await rawGet(raw, store, id);
    expect(text).toBe(encodeEnvelope(r));
    expect(Object.keys(JSON.parse(text as string))).toEqual(['v', 'expiresAt', 'meta', 'data']);
    expect(decodeEnvelope(text as string)?.record).toEqual(r);
    expect(await store.load(id)).toEqual(r);
  });

  it('round-trips meta without the optional fields', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const id = key();
    expect(await store.create(id, record({ meta: { createdAt: 1, lastSeenAt: 2 } }))).toBe(true);
    expect((await store.load(id))?.meta).toEqual({ createdAt: 1, lastSeenAt: 2 });
  });

  it('keeps only the contract fields of meta', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const id = key();
    const meta = { createdAt: 1, lastSeenAt: 2, extra: 'x' } as SessionRecord['meta'];
    expect(await store.create(id, record({ meta }))).toBe(true);
    expect(JSON.parse((await rawGet(raw, store, id)) as string).meta).toEqual({
      createdAt: 1,
      lastSeenAt: 2,
    });
  });

  const now = Date.now();
  const valid = encodeEnvelopeText(now + 60_000, { createdAt: 1, lastSeenAt: 1 }, '{}');
  it.each([
    ['a number', '42'],
    ['not JSON', '{"v":1,'],
    ['JSON of another shape', '{"hello":"world"}'],
    ['another version', valid.replace('"v":1', '"v":2')],
    ['the field of the old memcached envelope', valid.replace('"expiresAt"', '"exp"')],
    ['expiresAt not a number', valid.replace(`"expiresAt":${now + 60_000}`, '"expiresAt":"1"')],
    ['meta missing createdAt', valid.replace('"createdAt":1,', '')],
    ['owner not a string', valid.replace('"lastSeenAt":1', '"lastSeenAt":1,"owner":3')],
    ['data an array', valid.replace('"data":{}', '"data":[]')],
    ['fields in another order', `{"data":{},${valid.slice(1, valid.indexOf(',"data"'))}}`],
    ['extra whitespace', valid.replace(',"meta"', ', "meta"')],
  ])('treats %s under a session key as no record, and never overwrites it', async (_label, value) => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const id = key();
    const [error] = await reply((cb) => raw.set(store.keyOf(id), value, 60, cb));
    expect(error).toBeUndefined();
    expect(await store.load(id)).toBeNull();
    expect(await store.update(id, { data: { x: 1 }, meta: change() })).toBe(false);
    expect(await store.update(id, { data: {}, delta: setting({ x: 1 }), meta: change() })).toBe(false);
    expect(await store.touch(id, change())).toBe(false);
    expect(await rawGet(raw, store, id)).toBe(value);
  });

  it('the valid sample the cases above are made from is a record', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const id = key();
    const [error] = await reply((cb) => raw.set(store.keyOf(id), valid, 60, cb));
    expect(error).toBeUndefined();
    expect((await store.load(id))?.meta).toEqual({ createdAt: 1, lastSeenAt: 1 });
  });

  it('a touch rewrites the head around the same data bytes', async () => {
    const store = createMemcachedStore(client, { prefix: randomPrefix('env') });
    const r = record();
    const id = key();
    expect(await store.create(id, r)).toBe(true);
    const before = decodeEnvelope((await rawGet(raw, store, id)) as string);
    const touch = change({ expiry: { expiresAt: r.expiresAt + 1000, lifetime: null } });
    expect(await store.touch(id, touch)).toBe(true);
    const after = decodeEnvelope((await rawGet(raw, store, id)) as string);
    expect(after?.dataJson).toBe(before?.dataJson);
    expect(after?.record.expiresAt).toBe(r.expiresAt + 1000);
    expect(after?.record.meta).not.toHaveProperty('lifetime');
  });
});
