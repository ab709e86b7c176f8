import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CapabilityMissing, createSessionManager, type SessionConfigError, systemClock } from '@sess/core';
import { djangoDumps } from '@sess/core/codecs';
import { applyMetaChange, DJANGO_SESSION_SALT, type SessionRecord } from '@sess/core/store';
import { ownerIndexOf } from '@sess/store-test-suite';
import { describe, expect, it } from 'vitest';
import {
  createDjangoFileStore,
  createFileStore,
  type DjangoFileStoreOptions,
  djangoFileFormat,
} from '../src/index.js';
import { metaChange, scratchDirectory } from './support.js';

const secretKey = 'django-insecure-format-test';
const directory = scratchDirectory('django-format');
const TWO_WEEKS = 1_209_600;

/** A directory with the mode of /tmp (1777), where Django puts session files by default. */
function sharedTemp(): string {
  const shared = mkdtempSync(path.join(directory, 'tmp-'));
  chmodSync(shared, 0o1777);
  return shared;
}

/** A record saved at `now` with the default expiry. */
function recordAt(now: number, data: Record<string, unknown> = { a: 1 }, meta = {}): SessionRecord {
  return { data, expiresAt: now + TWO_WEEKS * 1000, meta: { createdAt: now, lastSeenAt: now, ...meta } };
}

describe('createDjangoFileStore options', () => {
  const valid: [string, Partial<DjangoFileStoreOptions>][] = [
    ['only directory and secretKey', {}],
    ['secretKey as bytes', { secretKey: new Uint8Array([1, 2, 3]) }],
    ['secretKeyFallbacks text and bytes', { secretKeyFallbacks: ['old', new Uint8Array([9])] }],
    ['keySalt of a subclass', { keySalt: 'django.contrib.sessions.CustomSessionStore' }],
    ['version 3.1', { version: '3.1' }],
    ['version 3.2.25', { version: '3.2.25' }],
    ['version 4.1', { version: '4.1' }],
    ['cookieAge of a day', { cookieAge: 86_400 }],
    ['another cookieName', { cookieName: 'my_session-id.v2' }],
    ['fileMode 0o640', { fileMode: 0o640 }],
    ['fsync', { fsync: true }],
    ['lockTimeoutMs', { lockTimeoutMs: 100 }],
    ['lockStaleMs', { lockStaleMs: 1000 }],
    ['clock', { clock: systemClock }],
    ['onInvalidData', { onInvalidData: () => {} }],
  ];

  it.each(valid)('accepts %s', (_name, options) => {
    const store = createDjangoFileStore({ directory, secretKey, ...options });
    expect(store.name).toBe('@sess/store-file');
    expect(store.prefix).toBe(options.cookieName ?? 'sessionid');
    expect(store.format.name).toBe('django-file');
    expect(store.cookieAge).toBe(options.cookieAge ?? TWO_WEEKS);
    expect(store.djangoVersion).toBe((options.version ?? '5.2').split('.').slice(0, 2).join('.'));
  });

  const invalid: [string, unknown, string][] = [
    ['no options', undefined, 'options'],
    ['no directory', { secretKey }, 'directory'],
    ['no secretKey', { directory }, 'secretKey'],
    ['secretKey empty', { directory, secretKey: '' }, 'secretKey'],
    ['secretKey a number', { directory, secretKey: 42 }, 'secretKey'],
    [
      'secretKeyFallbacks a string',
      { directory, secretKey, secretKeyFallbacks: 'old' },
      'secretKeyFallbacks',
    ],
    [
      'secretKeyFallbacks with an empty key',
      { directory, secretKey, secretKeyFallbacks: ['old', ''] },
      'secretKeyFallbacks',
    ],
    ['keySalt empty', { directory, secretKey, keySalt: '' }, 'keySalt'],
    ['version 3.0 (the legacy format)', { directory, secretKey, version: '3.0' }, 'version'],
    ['version a number', { directory, secretKey, version: 4.2 }, 'version'],
    ['cookieAge 0', { directory, secretKey, cookieAge: 0 }, 'cookieAge'],
    ['cookieAge a fraction', { directory, secretKey, cookieAge: 1.5 }, 'cookieAge'],
    ['cookieAge a text', { directory, secretKey, cookieAge: '3600' }, 'cookieAge'],
    ['cookieName empty', { directory, secretKey, cookieName: '' }, 'cookieName'],
    ['cookieName with a slash', { directory, secretKey, cookieName: '../sessionid' }, 'cookieName'],
    ['onInvalidData not a function', { directory, secretKey, onInvalidData: 'log' }, 'onInvalidData'],
    ['fileMode readable by others', { directory, secretKey, fileMode: 0o644 }, 'fileMode'],
    ['lockTimeoutMs negative', { directory, secretKey, lockTimeoutMs: -1 }, 'lockTimeoutMs'],
    ['prefix (it is the cookie name here)', { directory, secretKey, prefix: 'x' }, 'prefix'],
    ['format (it is Django’s here)', { directory, secretKey, format: {} }, 'format'],
    ['a misspelt option', { directory, secretKey, fallbackKeys: ['old'] }, 'fallbackKeys'],
    [
      'a directory like /tmp (Django’s default: world-writable, sticky)',
      { directory: sharedTemp(), secretKey },
      'directory',
    ],
  ];

  it.each(invalid)('rejects %s, naming the option', (_name, options, option) => {
    let thrown: unknown;
    try {
      createDjangoFileStore(options as DjangoFileStoreOptions);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as SessionConfigError).code).toBe('CONFIG_INVALID');
    expect((thrown as SessionConfigError).option).toBe(option);
    expect((thrown as Error).message).toContain('[@sess/store-file]');
  });

  it('never quotes a secret in an error', () => {
    const secret = 'zz-do-not-print-me';
    for (const options of [
      { directory, secretKey: secret, secretKeyFallbacks: secret },
      { directory, secretKey: [secret] },
    ]) {
      expect(() => createDjangoFileStore(options as unknown as DjangoFileStoreOptions)).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining(secret) }),
      );
    }
  });

  it('refuses a directory every user may write to, as for the native format', () => {
    const open = mkdtempSync(path.join(os.tmpdir(), 'sess-django-open-'));
    chmodSync(open, 0o777);
    expect(() => createDjangoFileStore({ directory: open, secretKey })).toThrow(/writable by every user/);
  });

  it('djangoFileFormat takes only its own options', () => {
    expect(() => djangoFileFormat({ secretKey, directory } as never)).toThrow(
      expect.objectContaining({ option: 'directory' }),
    );
  });
});

describe('Django mode declares what Django stores, and refuses the rest', () => {
  const store = createDjangoFileStore({ directory, secretKey });

  it('whole-record writes, no owner index, no metadata, expiry swept by clearExpired()', () => {
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

  it('an owner or an absolute deadline cannot be stored: CapabilityMissing, and nothing is written', async () => {
    const key = randomBytes(16).toString('hex');
    await expect(store.create(key, recordAt(Date.now(), {}, { owner: 'u1' }))).rejects.toBeInstanceOf(
      CapabilityMissing,
    );
    expect(await readdir(directory)).not.toContain(`sessionid${key}`);
    expect(await store.create(key, recordAt(Date.now()))).toBe(true);
    // v2: an update carries the deadline as a field of its MetaChange.
    const update = { data: {}, meta: metaChange(Date.now(), { deadline: Date.now() + 1 }) };
    await expect(store.update(key, update)).rejects.toThrow(
      /does not support absolute deadlines in Django mode/,
    );
  });

  it('the manager refuses absoluteTimeout up front, and setOwner() with CapabilityMissing', async () => {
    expect(() => createSessionManager({ store, absoluteTimeout: 3600 })).toThrow(/absoluteTimeout/);
    const manager = createSessionManager({ store });
    const session = await manager.open({}).load();
    await expect(session.setOwner('42')).rejects.toBeInstanceOf(CapabilityMissing);
  });

  it('a delta from the manager is written as the whole data it came with', async () => {
    const key = randomBytes(16).toString('hex');
    const now = Date.now();
    expect(await store.create(key, recordAt(now, { a: 1, b: 2 }))).toBe(true);
    const update = { data: { b: 3 }, delta: { set: { b: 3 }, unset: [] }, meta: metaChange(now) };
    expect(await store.update(key, update)).toBe(true);
    expect((await store.load(key))?.data).toEqual({ b: 3 });
  });

  it('cookie names separate sessions in one directory, as prefixes do', async () => {
    const other = createDjangoFileStore({ directory, secretKey, cookieName: 'othersession' });
    const key = randomBytes(16).toString('hex');
    expect(await store.create(key, recordAt(Date.now(), { mine: 1 }))).toBe(true);
    expect(await other.load(key)).toBeNull();
    expect(await other.create(key, recordAt(Date.now(), { theirs: 1 }))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ mine: 1 });
    expect((await other.load(key))?.data).toEqual({ theirs: 1 });
    expect(other.pathOf(key)).toBe(path.join(directory, `othersession${key}`));
  });
});

describe('the format, byte for byte', () => {
  // Vector 1 of the reference: Django 3.2.25's SessionStore.encode({"foo": "bar"}) at time 1700000000.
  const vector = {
    secretKey: 'django-insecure-test-secret-key-0001',
    at: 1_700_000_000_000,
    content: 'eyJmb28iOiJiYXIifQ:1r31eq:5ALnRI4-N1wPo2WLCSvuvW9whIDMh7f_RCEXv9isj74',
  };
  const format = djangoFileFormat({ secretKey: vector.secretKey });

  it("writes exactly Django's encode(data), signed at the save time, with the save time as mtime", () => {
    const encoded = format.encode(recordAt(vector.at, { foo: 'bar' }));
    expect(encoded).toEqual({ content: vector.content, mtimeMs: vector.at });
  });

  it("reads Django's file, dated by its mtime plus the cookie age", () => {
    const mtimeMs = vector.at + 0.4;
    expect(format.decode({ content: Buffer.from(vector.content), mtimeMs })).toEqual({
      data: { foo: 'bar' },
      expiresAt: vector.at + TWO_WEEKS * 1000,
      meta: { createdAt: vector.at, lastSeenAt: vector.at },
    });
  });

  it.each([
    ['no _session_expiry', {}, 'cookie age'],
    ['_session_expiry 0 (browser close)', { _session_expiry: 0 }, 'cookie age'],
    ['_session_expiry 300', { _session_expiry: 300 }, 300],
    ['_session_expiry -10', { _session_expiry: -10 }, -10],
    ['_session_expiry an ISO instant', { _session_expiry: '2030-01-01T00:00:00+00:00' }, 'instant'],
    ['_session_expiry a text that is no date', { _session_expiry: 'soon' }, 'cookie age'],
  ] as const)('%s: encode and decode agree on the expiry', (_name, extra, expected) => {
    const now = Date.UTC(2029, 11, 1);
    const expiresAt =
      expected === 'instant'
        ? Date.UTC(2030, 0, 1)
        : now + (expected === 'cookie age' ? TWO_WEEKS : expected) * 1000;
    const record = { ...recordAt(now, { a: 1, ...extra }), expiresAt };
    const encoded = format.encode(record);
    expect(encoded.mtimeMs).toBe(now);
    const decoded = format.decode({ content: Buffer.from(encoded.content), mtimeMs: encoded.mtimeMs });
    expect(decoded?.expiresAt).toBe(expiresAt);
    expect(decoded?.data).toEqual(record.data);
    // A touch 5 s later moves the mtime to the touch (an instant keeps its expiry: its lifetime is 0).
    const stored = { content: Buffer.from(encoded.content), mtimeMs: now };
    const head = applyMetaChange(
      decoded as SessionRecord,
      metaChange(now + 5000, { defaultLifetime: TWO_WEEKS }),
    );
    expect(head.expiresAt).toBe(expected === 'instant' ? expiresAt : expiresAt + 5000);
    expect(format.retime(stored, decoded as SessionRecord, head)).toEqual({ mtimeMs: now + 5000 });
  });

  it('a Django older than 4.1 gets an instant as whole seconds from the save', () => {
    const now = Date.UTC(2029, 11, 1);
    const old = djangoFileFormat({ secretKey, version: '3.2' });
    const instant = '2029-12-01T01:00:00+00:00';
    const encoded = old.encode({
      ...recordAt(now, { _session_expiry: instant }),
      expiresAt: now + 3_600_000,
    });
    const decoded = old.decode({ content: Buffer.from(encoded.content), mtimeMs: encoded.mtimeMs });
    expect(decoded?.data).toEqual({ _session_expiry: 3600 });
    expect(decoded?.expiresAt).toBe(now + 3_600_000);
  });

  it('refuses what is no session of this key, telling onInvalidData why, and keeps it a cookie age for the sweep', () => {
    const reasons: string[] = [];
    const watched = djangoFileFormat({ secretKey, onInvalidData: (reason) => reasons.push(reason) });
    const at = Date.UTC(2029, 0, 1);
    const file = (text: string) => ({ content: Buffer.from(text), mtimeMs: at });
    expect(watched.decode(file(''))).toBeNull();
    expect(reasons).toEqual([]);
    expect(watched.decode(file(vector.content))).toBeNull();
    expect(watched.decode(file('not a session at all'))).toBeNull();
    expect(
      watched.decode(file(djangoDumps([1, 2], { secret: secretKey, salt: DJANGO_SESSION_SALT }))),
    ).toBeNull();
    expect(reasons).toEqual(['bad-signature', 'malformed', 'malformed']);
    expect(
      watched.decode(file(djangoDumps({ ok: 1 }, { secret: secretKey, salt: DJANGO_SESSION_SALT }))),
    ).not.toBeNull();
    expect(watched.keepUnreadableUntil?.(file('x'))).toBe(at + TWO_WEEKS * 1000);
  });

  // v2: record ids are what reach a store; Django mode takes only raw keys as Django issues them (32).
  it.each([
    ['a Django key of 8 characters', 'abcd1234', false],
    ['a 32-character key', 'a'.repeat(32), true],
    ['a 40-character hashed id (keys are never hashed in Django mode)', 'a'.repeat(40), false],
    ['7 characters', 'abcd123', false],
    ['upper case', 'ABCD1234', false],
    ['a path', '../abcd1234', false],
    ['Django’s temp file', `${'a'.repeat(32)}_out_x1y2z3`, false],
    ['our lock', `${'a'.repeat(32)}.lock`, false],
    ['65 characters', 'a'.repeat(65), false],
  ])('keys: %s', (_name, key, valid) => {
    expect(format.isRecordId(key)).toBe(valid);
  });
});

describe('createFileStore with djangoFileFormat', () => {
  it('is the same store as createDjangoFileStore when given the cookie name as prefix', async () => {
    const format = djangoFileFormat({ secretKey });
    const store = createFileStore({ directory, prefix: 'sessionid', format });
    const key = randomBytes(16).toString('hex');
    const now = Date.now();
    expect(await store.create(key, recordAt(now, { a: 'é' }))).toBe(true);
    const file = path.join(directory, `sessionid${key}`);
    expect(await readFile(file, 'latin1')).toMatch(/^[\w.-]+:[0-9A-Za-z]+:[\w-]{43}$/);
    expect(Math.round((await stat(file)).mtimeMs)).toBe(now);
    expect((await createDjangoFileStore({ directory, secretKey }).load(key))?.data).toEqual({ a: 'é' });
    expect(store.capabilities.delta).toBe(false);
  });

  it('refuses a format whose capabilities are not booleans', () => {
    const format = { ...djangoFileFormat({ secretKey }), capabilities: { delta: 'no' } };
    expect(() => createFileStore({ directory, format: format as never })).toThrow(
      expect.objectContaining({ option: 'format' }),
    );
  });

  it('a file Django has not filled yet (its empty placeholder) is no session, and the sweep leaves it', async () => {
    const store = createDjangoFileStore({ directory, secretKey });
    const key = randomBytes(16).toString('hex');
    await writeFile(path.join(directory, `sessionid${key}`), '', { mode: 0o600 });
    expect(await store.load(key)).toBeNull();
    await store.clearExpired();
    expect(await readdir(directory)).toContain(`sessionid${key}`);
  });
});
