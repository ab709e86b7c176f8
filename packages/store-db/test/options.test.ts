import { isSessionError, SessionConfigError, systemClock } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { createDbStore, type DbStoreOptions, type PgPoolLike } from '../src/index.js';

/** Construction does no I/O, so a pool that answers nothing is enough to test the options. */
const pool: PgPoolLike = {
  query: () => Promise.reject(new Error('no I/O expected while validating options')),
};

const valid: [string, DbStoreOptions][] = [
  ['no options', {}],
  ['tableName plain', { tableName: 'sessions' }],
  ['tableName with underscore start and digits', { tableName: '_sess_2024' }],
  ['tableName mixed case', { tableName: 'WebSessions' }],
  ['tableName schema-qualified', { tableName: 'auth.sessions' }],
  ['tableName at 48 characters', { tableName: 't'.repeat(48) }],
  ['tableName with a 63-character schema', { tableName: `${'s'.repeat(63)}.sessions` }],
  ['clock', { clock: { now: () => 0 } }],
  ['clock system', { clock: systemClock }],
  ['migrate manual', { migrate: 'manual' }],
  ['migrate on-first-use', { migrate: 'on-first-use' }],
  ['batchSize 1', { batchSize: 1 }],
  ['batchSize 1000000', { batchSize: 1_000_000 }],
  ['every option', { tableName: 'x.y', clock: systemClock, migrate: 'on-first-use', batchSize: 50 }],
];

const invalid: [string, unknown, string][] = [
  ['tableName empty', { tableName: '' }, 'tableName'],
  ['tableName with a space', { tableName: 'my sessions' }, 'tableName'],
  ['tableName with a quote', { tableName: 'sess"; DROP TABLE users; --' }, 'tableName'],
  ['tableName with a hyphen', { tableName: 'sess-session' }, 'tableName'],
  ['tableName starting with a digit', { tableName: '1sessions' }, 'tableName'],
  ['tableName with three parts', { tableName: 'db.auth.sessions' }, 'tableName'],
  ['tableName with an empty schema', { tableName: '.sessions' }, 'tableName'],
  ['tableName with an empty table', { tableName: 'auth.' }, 'tableName'],
  ['tableName already quoted', { tableName: '"sessions"' }, 'tableName'],
  ['tableName non-ASCII', { tableName: 'séssions' }, 'tableName'],
  ['tableName over 48 characters', { tableName: 't'.repeat(49) }, 'tableName'],
  ['tableName schema over 63 characters', { tableName: `${'s'.repeat(64)}.sessions` }, 'tableName'],
  ['tableName a number', { tableName: 42 }, 'tableName'],
  ['tableName null', { tableName: null }, 'tableName'],
  ['clock without now', { clock: {} }, 'clock'],
  ['clock a function', { clock: () => 0 }, 'clock'],
  ['clock null', { clock: null }, 'clock'],
  ['migrate true', { migrate: true }, 'migrate'],
  ['migrate unknown word', { migrate: 'auto' }, 'migrate'],
  ['migrate other case', { migrate: 'Manual' }, 'migrate'],
  ['batchSize 0', { batchSize: 0 }, 'batchSize'],
  ['batchSize negative', { batchSize: -5 }, 'batchSize'],
  ['batchSize fractional', { batchSize: 2.5 }, 'batchSize'],
  ['batchSize NaN', { batchSize: Number.NaN }, 'batchSize'],
  ['batchSize Infinity', { batchSize: Number.POSITIVE_INFINITY }, 'batchSize'],
  ['batchSize over a million', { batchSize: 1_000_001 }, 'batchSize'],
  ['batchSize a string', { batchSize: '100' }, 'batchSize'],
  ['an unknown option', { prefix: 'sess:' }, 'prefix'],
  ['a misspelt option', { tablename: 'sessions' }, 'tablename'],
  ['options not an object', 'sessions', 'options'],
  ['options null', null, 'options'],
  ['options an array', [], 'options'],
];

const invalidPools: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a connection string', 'postgres://localhost/app'],
  ['an object without query', { connect() {} }],
  ['query not a function', { query: 'SELECT 1' }],
];

describe('createDbStore options', () => {
  it.each(valid)('accepts %s', (_name, options) => {
    const store = createDbStore(pool, options);
    expect(store.name).toBe('@sess/store-db');
    expect(store.tableName).toBe(options.tableName ?? 'sess_session');
  });

  it.each(invalid)('rejects %s, naming the option', (_name, options, option) => {
    let thrown: unknown;
    try {
      createDbStore(pool, options as DbStoreOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SessionConfigError);
    const error = thrown as SessionConfigError;
    expect(isSessionError(error)).toBe(true);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.option).toBe(option);
    expect(error.message).toContain('[@sess/store-db]');
    expect(error.message).toContain(`\`${option}\``);
  });

  it.each(invalidPools)('rejects a pool that is %s, naming `pool`', (_name, candidate) => {
    expect(() => createDbStore(candidate as PgPoolLike)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', option: 'pool' }),
    );
  });

  it('declares what it can do', () => {
    const store = createDbStore(pool);
    expect(store.capabilities).toEqual({
      delta: true,
      ownerIndex: true,
      metadata: true,
      nativeExpiry: false,
      expiryResolution: 'ms',
    });
    expect(typeof store.owners.list).toBe('function');
    expect(typeof store.owners.destroyAll).toBe('function');
  });
});
