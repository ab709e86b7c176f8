import type { SessionRecord, SessionStore } from '@sess/core/store';
import { describe, type ExpectStatic, it } from 'vitest';
import type { StoreSuiteOptions } from './options.js';
import {
  expectRawData,
  expectRecord,
  makeRecord,
  makeUpdate,
  openStore,
  seed,
  settle,
  touchTo,
} from './support.js';

/**
 * Keys no client should manage to send (core validates keys before any store call), plus variants of a
 * real key `k` that a careless engine could map onto it (paths, globs, hash tags, case, protocol injection).
 */
export function hostileKeys(k: string): string[] {
  return [
    '',
    ' ',
    '../x',
    '..%2F',
    '..%2f..%2fetc%2fpasswd',
    '/etc/passwd',
    'a'.repeat(10_000),
    'KEY WITH SPACES',
    'abc\0def',
    '\0',
    '*',
    '?',
    '[a-z]*',
    '{slot}',
    '%',
    '%s%n',
    "'; DROP TABLE sessions; --",
    'ключ😀',
    `../${k}`,
    `./${k}`,
    `${k}/`,
    `${k}/../${k}`,
    `${k.slice(0, -1)}*`,
    `${k.slice(0, -1)}?`,
    `${k.slice(0, 8)}*`,
    `{${k}}`,
    k.toUpperCase(),
    ` ${k}`,
    `${k} `,
    `${k}\0`,
    `${k}\n`,
    `x\r\ndelete ${k}`,
    `x\r\nget ${k}`,
  ];
}

/**
 * Defence in depth for hostile keys: every call resolves with "nothing there" (preferred) or throws a
 * SessionError, never another error, and never reaches another record.
 */
export function hostileKeyTests(options: StoreSuiteOptions): void {
  const sentinelRecord = () => makeRecord({ data: { sentinel: true }, owner: 'sentinel-owner' });

  async function expectSentinel(
    store: SessionStore,
    key: string,
    record: SessionRecord,
    expect: ExpectStatic,
  ) {
    expectRecord(store, expect, await store.load(key), record);
    await expectRawData(options, store, key, record.data, expect);
  }

  describe.concurrent('hostile keys', () => {
    it('load, update, touch and destroy find nothing and leave other records intact', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = sentinelRecord();
      const sentinel = await seed(store, expect, record);
      for (const key of hostileKeys(sentinel)) {
        const label = JSON.stringify(key.slice(0, 40));
        const loaded = await settle(expect, `load(${label})`, () => store.load(key));
        if ('value' in loaded) expect(loaded.value, `load(${label})`).toBeNull();
        const updated = await settle(expect, `update(${label})`, () =>
          store.update(key, makeUpdate({ data: { hijacked: true } })),
        );
        if ('value' in updated) expect(updated.value, `update(${label})`).toBe(false);
        const touched = await settle(expect, `touch(${label})`, () =>
          store.touch(key, touchTo(Date.now() - 1000)),
        );
        if ('value' in touched) expect(touched.value, `touch(${label})`).toBe(false);
        const destroyed = await settle(expect, `destroy(${label})`, () => store.destroy(key));
        if ('value' in destroyed) expect(destroyed.value, `destroy(${label})`).toBeNull();
      }
      await expectSentinel(store, sentinel, record, expect);
    });

    it('create either stores under exactly that key or throws a SessionError, never touching others', async (context) => {
      const { expect } = context;
      const store = await openStore(options, context);
      const record = sentinelRecord();
      const sentinel = await seed(store, expect, record);
      for (const key of hostileKeys(sentinel)) {
        const label = JSON.stringify(key.slice(0, 40));
        const created = await settle(expect, `create(${label})`, () =>
          store.create(key, makeRecord({ data: { hostile: label } })),
        );
        // false would claim a collision with a record that was never written under this key.
        if ('value' in created) expect(created.value, `create(${label})`).toBe(true);
        await settle(expect, `destroy(${label})`, () => store.destroy(key));
      }
      await expectSentinel(store, sentinel, record, expect);
    });
  });
}
