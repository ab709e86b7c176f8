import { SessionConfigError, systemClock } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { createFileStore, type FileStoreOptions, jsonEnvelopeFormat } from '../src/index.js';
import { scratchDirectory } from './support.js';

const directory = scratchDirectory('options');

type Case = [option: string, value: unknown];

const valid: Case[] = [
  ['directory', directory],
  ['prefix', 'sess_'],
  ['prefix', ''],
  ['prefix', 'My.App-2_'],
  ['prefix', 'p'.repeat(100)],
  ['fileMode', 0o600],
  ['fileMode', 0o640],
  ['fileMode', 0o660],
  ['fsync', true],
  ['fsync', false],
  ['lockTimeoutMs', 0],
  ['lockTimeoutMs', 3000],
  ['lockTimeoutMs', 600_000],
  ['lockStaleMs', 100],
  ['lockStaleMs', 3_600_000],
  ['clock', systemClock],
  ['clock', { now: () => 0 }],
  ['format', jsonEnvelopeFormat],
  ['format', { ...jsonEnvelopeFormat, liveByMtime: undefined }],
  ['format', { ...jsonEnvelopeFormat, usesMtime: true }],
];

const invalid: Case[] = [
  ['directory', ''],
  ['directory', 42],
  ['directory', null],
  ['directory', 'a\0b'],
  ['prefix', 'a/b'],
  ['prefix', '../'],
  ['prefix', 'a\\b'],
  ['prefix', 'a b'],
  ['prefix', 'a\0'],
  ['prefix', 'ключ'],
  ['prefix', 'p'.repeat(101)],
  ['prefix', 7],
  ['prefix', null],
  ['fileMode', 0o644],
  ['fileMode', 0o666],
  ['fileMode', 0o400],
  ['fileMode', 0o700],
  ['fileMode', 0o4600],
  ['fileMode', 0o600 + 0.5],
  ['fileMode', '600'],
  ['fsync', 'yes'],
  ['fsync', 1],
  ['fsync', null],
  ['fileMode', null],
  ['lockTimeoutMs', -1],
  ['lockTimeoutMs', 1.5],
  ['lockTimeoutMs', 600_001],
  ['lockTimeoutMs', Number.NaN],
  ['lockTimeoutMs', '3000'],
  ['lockStaleMs', 99],
  ['lockStaleMs', 0],
  ['lockStaleMs', Number.POSITIVE_INFINITY],
  ['clock', Date],
  ['clock', { now: 5 }],
  ['clock', null],
  ['format', {}],
  ['format', { ...jsonEnvelopeFormat, retime: undefined }],
  ['format', { ...jsonEnvelopeFormat, name: 1 }],
  ['format', { ...jsonEnvelopeFormat, liveByMtime: true }],
  ['format', { ...jsonEnvelopeFormat, usesMtime: 'no' }],
  ['format', 'json'],
  ['format', null],
];

function thrown(options: unknown): unknown {
  try {
    createFileStore(options as FileStoreOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('options', () => {
  it.each(valid)('accepts %s = %o', (option, value) => {
    const options = { directory, [option]: value };
    expect(thrown(options)).toBeUndefined();
  });

  it.each(invalid)('refuses %s = %o with a SessionConfigError naming it', (option, value) => {
    const error = thrown({ directory, [option]: value });
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe(option);
    expect((error as Error).message).toContain(`\`${option}\``);
    expect((error as Error).message).toContain('@sess/store-file');
  });

  it('refuses an unknown option, naming it', () => {
    const error = thrown({ directory, dir: '/tmp' });
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe('dir');
  });

  it.each([[null], ['options'], [[]], [5]])('refuses options = %o', (options) => {
    const error = thrown(options);
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe('options');
  });

  it('fills in the documented defaults', () => {
    const store = createFileStore({ directory });
    expect(store.prefix).toBe('sess_');
    expect(store.format).toBe(jsonEnvelopeFormat);
    expect(store.directory).toBe(directory);
    expect(store.capabilities).toEqual({
      delta: true,
      ownerIndex: false,
      nativeExpiry: false,
      expiryResolution: 'ms',
      metadata: true,
      sharedKeys: false,
    });
    expect(store.owners).toBeUndefined();
  });

  it('resolves a relative directory against the working directory', () => {
    const relative = `${directory}/./nested/../nested`;
    expect(createFileStore({ directory: relative }).directory).toBe(`${directory}/nested`);
  });
});
