import { CapabilityMissing, SessionConfigError, systemClock } from '@sess/core';
import { ownerIndexOf } from '@sess/store-test-suite';
import { describe, expect, it } from 'vitest';
import { createDjangoDbStore, type DjangoDbStoreOptions, type PgPoolLike } from '../src/index.js';

/** Construction does no I/O, so a pool that answers nothing is enough to test the options. */
const pool: PgPoolLike = {
  query: () => Promise.reject(new Error('no I/O expected')),
};
const secretKey = 'django-insecure-options-test';

const valid: [string, DjangoDbStoreOptions][] = [
  ['only secretKey', { secretKey }],
  ['secretKey as bytes', { secretKey: new Uint8Array([1, 2, 3]) }],
  ['secretKeyFallbacks empty', { secretKey, secretKeyFallbacks: [] }],
  ['secretKeyFallbacks text and bytes', { secretKey, secretKeyFallbacks: ['old', new Uint8Array([9])] }],
  ['keySalt of a subclass', { secretKey, keySalt: 'django.contrib.sessions.CustomSessionStore' }],
  ['version 3.1', { secretKey, version: '3.1' }],
  ['version 3.2', { secretKey, version: '3.2' }],
  ['version 4.0', { secretKey, version: '4.0' }],
  ['version 4.1', { secretKey, version: '4.1' }],
  ['version 5.2', { secretKey, version: '5.2' }],
  ['version with a micro part', { secretKey, version: '3.2.25' }],
  ['version 10.0', { secretKey, version: '10.0' }],
  ['tableName of a custom session model', { secretKey, tableName: 'accounts_customsession' }],
  ['tableName schema-qualified', { secretKey, tableName: 'legacy.django_session' }],
  ['clock', { secretKey, clock: systemClock }],
  ['migrate on-first-use', { secretKey, migrate: 'on-first-use' }],
  ['batchSize', { secretKey, batchSize: 10 }],
  ['onInvalidData', { secretKey, onInvalidData: () => {} }],
];

const invalid: [string, unknown, string][] = [
  ['no options', undefined, 'secretKey'],
  ['no secretKey', {}, 'secretKey'],
  ['secretKey empty', { secretKey: '' }, 'secretKey'],
  ['secretKey empty bytes', { secretKey: new Uint8Array(0) }, 'secretKey'],
  ['secretKey a number', { secretKey: 42 }, 'secretKey'],
  ['secretKeyFallbacks a string', { secretKey, secretKeyFallbacks: 'old' }, 'secretKeyFallbacks'],
  [
    'secretKeyFallbacks with an empty key',
    { secretKey, secretKeyFallbacks: ['old', ''] },
    'secretKeyFallbacks',
  ],
  ['secretKeyFallbacks with null', { secretKey, secretKeyFallbacks: [null] }, 'secretKeyFallbacks'],
  ['keySalt empty', { secretKey, keySalt: '' }, 'keySalt'],
  ['keySalt a number', { secretKey, keySalt: 1 }, 'keySalt'],
  ['version 3.0 (the legacy format)', { secretKey, version: '3.0' }, 'version'],
  ['version 2.2', { secretKey, version: '2.2' }, 'version'],
  ['version a number', { secretKey, version: 3.2 }, 'version'],
  ['version a word', { secretKey, version: 'latest' }, 'version'],
  ['version major only', { secretKey, version: '4' }, 'version'],
  ['tableName with a quote', { secretKey, tableName: 'django"session' }, 'tableName'],
  ['migrate unknown', { secretKey, migrate: 'auto' }, 'migrate'],
  ['batchSize 0', { secretKey, batchSize: 0 }, 'batchSize'],
  ['onInvalidData not a function', { secretKey, onInvalidData: 'log' }, 'onInvalidData'],
  ['an option of the native mode', { secretKey, owners: true }, 'owners'],
  ['a misspelt option', { secretKey, fallbackKeys: ['old'] }, 'fallbackKeys'],
  ['options an array', [], 'options'],
];

describe('createDjangoDbStore options', () => {
  it.each(valid)('accepts %s', (_name, options) => {
    const store = createDjangoDbStore(pool, options);
    expect(store.name).toBe('@sess/store-db');
    expect(store.tableName).toBe(options.tableName ?? 'django_session');
    expect(store.djangoVersion).toBe((options.version ?? '5.2').split('.').slice(0, 2).join('.'));
  });

  it.each(invalid)('rejects %s, naming the option', (_name, options, option) => {
    let thrown: unknown;
    try {
      createDjangoDbStore(pool, options as DjangoDbStoreOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SessionConfigError);
    expect((thrown as SessionConfigError).option).toBe(option);
    expect((thrown as Error).message).toContain('[@sess/store-db]');
  });

  it('never quotes a secret in an error', () => {
    const secret = 'zz-do-not-print-me';
    for (const options of [{ secretKey: secret, secretKeyFallbacks: secret }, { secretKey: [secret] }]) {
      expect(() => createDjangoDbStore(pool, options as unknown as DjangoDbStoreOptions)).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining(secret) }),
      );
    }
  });

  it('rejects a pool without query(), naming `pool`', () => {
    expect(() => createDjangoDbStore({} as PgPoolLike, { secretKey })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'pool' }),
    );
  });
});

describe('Django mode declares what Django stores, and refuses the rest', () => {
  const store = createDjangoDbStore(pool, { secretKey });
  const record = (meta: Record<string, unknown>) => ({
    data: {},
    expiresAt: Date.now() + 60_000,
    meta: { createdAt: Date.now(), lastSeenAt: Date.now(), ...meta },
  });

  it('whole-record writes, no owner index, expiry swept by clearExpired()', () => {
    expect(store.capabilities).toEqual({
      delta: false,
      ownerIndex: false,
      nativeExpiry: false,
      expiryResolution: 'ms',
      metadata: false,
      sharedKeys: true,
    });
    expect('owners' in store).toBe(false);
    expect(() => ownerIndexOf(store)).toThrow(CapabilityMissing);
  });

  it('an owner or an absolute deadline cannot be stored: CapabilityMissing, before any I/O', async () => {
    const key = 'k'.repeat(32);
    await expect(store.create(key, record({ owner: 'u1' }))).rejects.toBeInstanceOf(CapabilityMissing);
    const now = Date.now();
    const deadline = { now, defaultLifetime: 60, deadline: now + 1 };
    await expect(store.update(key, { data: {}, meta: deadline })).rejects.toThrow(
      /does not support absolute deadlines in Django mode/,
    );
    await expect(store.touch(key, { now, defaultLifetime: 60, owner: 'u1' })).rejects.toBeInstanceOf(
      CapabilityMissing,
    );
  });
});
