import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  decodeEnvelope,
  generateSessionKey,
  type MetaChange,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SessionUpdate,
} from '@sess/core/store';
import { afterAll } from 'vitest';
import type { FileStore } from '../src/index.js';

/** A fresh directory under the OS temp dir, removed after the test file. */
export function scratchDirectory(label: string): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), `sess-store-file-${label}-`));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** A random prefix, so stores sharing a directory never meet. */
export const randomPrefix = (): string => `t${randomBytes(4).toString('hex')}_`;

/** The file of `key` in `store`, read around the store: its text, or null when there is no file. */
export async function readRaw(store: SessionStore, key: string): Promise<string | null> {
  const { directory, prefix } = store as FileStore;
  try {
    return await readFile(path.join(directory, prefix + key), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The data part of an envelope's text, byte for byte. */
export function rawDataText(raw: unknown): string {
  const text = decodeEnvelope(raw as string)?.dataJson;
  if (text === undefined) throw new Error(`not an envelope: ${String(raw).slice(0, 80)}`);
  return text;
}

/** The names in `directory`, sorted. */
export const listing = async (directory: string): Promise<string[]> => (await readdir(directory)).sort();

/** A new random key, as core issues them. */
export const newKey = generateSessionKey;

/** A record expiring `ttlMs` from now. */
export function makeRecord(data: SessionData = { n: 1 }, ttlMs = 3_600_000): SessionRecord {
  const now = Date.now();
  return { data, expiresAt: now + ttlMs, meta: { createdAt: now - 60_000, lastSeenAt: now } };
}

/** The app's default lifetime in the tests' metadata changes: Django's two weeks, seconds. */
export const DEFAULT_LIFETIME = 1_209_600;

/** A metadata change at `now` that sets nothing but what `extra` says (a refresh, unless it sets the expiry). */
export const metaChange = (now = Date.now(), extra: Partial<MetaChange> = {}): MetaChange => ({
  now,
  defaultLifetime: DEFAULT_LIFETIME,
  ...extra,
});

/** A metadata change that sets the expiry to `expiresAt` (as a whole write or a rotation does), at `now`. */
export const expiryChange = (expiresAt: number, now = Date.now()): MetaChange =>
  metaChange(now, { expiry: { expiresAt, lifetime: null } });

/** A whole update to `data`, expiring `ttlMs` from now: what the manager sends after `clear()`. */
export function wholeUpdate(data: SessionData = { n: 1 }, ttlMs = 3_600_000): SessionUpdate {
  const now = Date.now();
  return { data, meta: expiryChange(now + ttlMs, now) };
}
