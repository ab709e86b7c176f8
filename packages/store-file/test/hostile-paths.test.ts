import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSessionError } from '@sess/core';
import { hostileKeys } from '@sess/store-test-suite';
import { describe, expect, it } from 'vitest';
import { createFileStore, type FileStore } from '../src/index.js';
import { expiryChange, listing, makeRecord, newKey, scratchDirectory, wholeUpdate } from './support.js';

const root = scratchDirectory('hostile');

/** A session directory inside `root`, with a canary beside it and foreign files inside it. */
function arena(label: string) {
  const parent = path.join(root, label);
  const directory = path.join(parent, 'sessions');
  mkdirSync(directory, { recursive: true });
  const canary = path.join(parent, 'canary');
  writeFileSync(canary, 'canary');
  const expired = JSON.stringify({ v: 1, expiresAt: 1, meta: { createdAt: 1, lastSeenAt: 1 }, data: {} });
  // Names a careless store could mistake for its own: a prefix clash, upper case, a near-miss length.
  for (const name of [
    'sess_x',
    `sess_${'A'.repeat(32)}`,
    `sess_${'a'.repeat(31)}`,
    `other_${'b'.repeat(32)}`,
  ]) {
    writeFileSync(path.join(directory, name), expired);
  }
  mkdirSync(path.join(directory, `sess_${'c'.repeat(32)}`));
  return { parent, directory, canary };
}

function keysFor(live: string): string[] {
  return [
    ...hostileKeys(live),
    '../canary',
    '../../canary',
    '..%2Fcanary',
    'a/b',
    '.',
    '..',
    'x\0y',
    'sess_x',
    'x',
    `${live}.lock`,
    `${live}.0-000000000000.tmp`,
    live.slice(1),
    `${live}a`,
    'a'.repeat(10_000),
  ];
}

async function attack(store: FileStore, key: string): Promise<void> {
  const label = JSON.stringify(key.slice(0, 40));
  expect(await store.load(key), `load ${label}`).toBeNull();
  expect(await store.update(key, wholeUpdate({ hijacked: true })), `update ${label}`).toBe(false);
  expect(await store.touch(key, expiryChange(Date.now() - 1000, Date.now())), `touch ${label}`).toBe(false);
  await store.destroy(key);
  const created = await store.create(key, makeRecord({ planted: true })).then(
    () => 'resolved',
    (error: unknown) => (isSessionError(error) ? 'refused' : String(error)),
  );
  expect(created, `create ${label}`).toBe('refused');
  expect(store.pathOf(key), `pathOf ${label}`).toBeNull();
}

describe.each(['sess_', ''])('hostile keys with prefix %o', (prefix) => {
  it('never create, read, change or delete anything but the expected files', async () => {
    const { parent, directory, canary } = arena(`prefix-${prefix || 'empty'}`);
    const store = createFileStore({ directory, prefix });
    const live = newKey();
    const record = makeRecord({ live: true });
    expect(await store.create(live, record)).toBe(true);
    const before = { parent: await listing(parent), inside: await listing(directory) };
    for (const key of keysFor(live)) await attack(store, key);
    expect(await store.clearExpired()).toBe(0);
    expect(await listing(parent)).toEqual(before.parent);
    expect(await listing(directory)).toEqual(before.inside);
    expect(readFileSync(canary, 'utf8')).toBe('canary');
    expect((await store.load(live))?.data).toEqual({ live: true });
  });
});

it('clearExpired never opens files outside its prefix, even expired ones', async () => {
  const { directory } = arena('sweep');
  const store = createFileStore({ directory, prefix: 'sess_' });
  const expired = newKey();
  await store.create(expired, makeRecord({}, -1000));
  const before = await listing(directory);
  expect(await store.clearExpired()).toBe(1);
  expect(await listing(directory)).toEqual(before.filter((name) => name !== `sess_${expired}`));
});
