import { randomBytes } from 'node:crypto';
import { isSessionError, type SessionRecord, type SessionStoreError } from '@sess/core';
import Memcached from 'memcached';
import { expect } from 'vitest';
import { type MemcachedStore, recommendedClientOptions } from '../src/index.js';

/** A random key prefix, so test files and tests can share the servers. */
export const randomPrefix = (label = 't'): string => `${label}-${randomBytes(6).toString('hex')}:`;

/** A client with the settings the README recommends. */
export function newClient(servers: string | string[]): Memcached {
  return new Memcached(servers, { ...recommendedClientOptions });
}

/** Calls a client method and resolves with what it called back with. */
export function reply<T>(
  send: (callback: (error: unknown, result: T) => void) => void,
): Promise<[unknown, T]> {
  return new Promise((resolve) => send((error, result) => resolve([error, result])));
}

/** The raw value memcached holds for session `key` of `store`, read with a separate client. */
export async function rawGet(raw: Memcached, store: MemcachedStore, key: string): Promise<unknown> {
  const [error, value] = await reply<unknown>((cb) => raw.get(store.keyOf(key), cb));
  if (error) throw error;
  return value;
}

/** The exact text of the data part of a stored envelope. */
export function rawDataText(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`not an envelope: ${String(value)}`);
  return value.slice(value.indexOf('"data":') + '"data":'.length, -1);
}

/** A record expiring `ttlMs` from now. */
export function recordFor(data: SessionRecord['data'], ttlMs: number): SessionRecord {
  const now = Date.now();
  return { data, expiresAt: now + ttlMs, meta: { createdAt: now, lastSeenAt: now } };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ends clients without waiting on them. */
export function endAll(...clients: Memcached[]): void {
  for (const client of clients) client.end();
}

/** The store error `promise` rejects with (failing the test if it resolves or throws anything else). */
export async function storeError(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`resolved with ${JSON.stringify(value)} instead of failing`);
    },
    (error: unknown) => error,
  );
  expect(isSessionError(error), String(error)).toBe(true);
  return error as SessionStoreError;
}
