import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { isSessionError, type SessionStoreError } from '@sess/core';
import type { MetaChange, SessionRecord } from '@sess/core/store';
import { memcachedServers } from '@sess/test-harness';
import Memcached from 'memcached';
import { afterAll, expect } from 'vitest';
import { type MemcachedLike, type MemcachedStore, recommendedClientOptions } from '../src/index.js';

/** A random key prefix, so test files and tests can share the servers. */
export const randomPrefix = (label = 't'): string => `${label}-${randomBytes(6).toString('hex')}:`;

/** A client with the settings the README recommends. */
export function newClient(servers: string | string[]): Memcached {
  return new Memcached(servers, { ...recommendedClientOptions });
}

/** The run's servers, with one client for the stores and one for raw reads; `clients` are ended after the file. */
export interface TestClients {
  servers: string[];
  client: Memcached;
  raw: Memcached;
  /** Every client to end after the file's tests: push any other client a test opens. */
  clients: Memcached[];
}

/** The clients of a test file on the run's two servers (call at the file's top level). */
export function testClients(): TestClients {
  const servers = memcachedServers();
  const client = newClient(servers);
  const raw = newClient(servers);
  const clients = [client, raw];
  afterAll(() => endAll(...clients));
  return { servers, client, raw, clients };
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

/** The default lifetime the tests' writes carry, seconds (Django's two weeks). */
export const DEFAULT_LIFETIME = 1_209_600;

/** A write's metadata change at this instant: by default only a refresh (nothing else changed). */
export function change(over: Partial<MetaChange> = {}): MetaChange {
  return { now: Date.now(), defaultLifetime: DEFAULT_LIFETIME, ...over };
}

/** A delta that sets `set`. */
export const setting = (set: Record<string, unknown>) => ({ set, unset: [] });

/**
 * The lifetime memcached itself gives the item under `memcachedKey`, in whole seconds (`-1`: no expiry),
 * asked of each of `servers` with the meta command `mg <key> t`; undefined when none holds it.
 */
export async function itemTtl(servers: readonly string[], memcachedKey: string): Promise<number | undefined> {
  for (const server of servers) {
    const line = await ask(server, `mg ${memcachedKey} t\r\n`);
    if (line === 'EN') continue;
    const ttl = /^HD t(-?\d+)$/.exec(line)?.[1];
    if (ttl === undefined) throw new Error(`${server} answered ${JSON.stringify(line)}`);
    return Number(ttl);
  }
  return undefined;
}

/** One command on its own connection to `server` (`host:port`); its first reply line. */
function ask(server: string, command: string): Promise<string> {
  const colon = server.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.slice(0, colon), port: Number(server.slice(colon + 1)) });
    let received = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`no answer from ${server}`)));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(command));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end < 0) return;
      socket.destroy();
      resolve(received.slice(0, end));
    });
  });
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

/**
 * `base`, with `beforeCas` run before each `cas` is sent (after the `gets` it follows): a competing write
 * made there lands between a store's read and its write, every time.
 */
export function withRace(base: Memcached, beforeCas: (attempt: number) => Promise<unknown>): MemcachedLike {
  let attempt = 0;
  return {
    gets: (k, cb) => base.gets(k, cb),
    add: (k, v, l, cb) => base.add(k, v, l, cb),
    cas: (k, v, c, l, cb) => {
      beforeCas(++attempt).then(
        () => base.cas(k, v, c, l, cb),
        (error: unknown) => cb(error, false),
      );
    },
  };
}
