import type { Client } from '@sess/http-test-suite';
import { expect } from 'vitest';
import type { App, RawRecord } from '../../src/index.js';
import { expectOutage, type Failure, recovered } from './outage.js';

/** What {@link expectOutage} checks, for one store name and deadline. */
export type OutageExpectation = (
  operation: string,
  codes: readonly string[],
) => { storeName: string; operation: string; codes: readonly string[]; timeoutMs: number };

/** The expectation factory of one outage file: its store's package name and the deadline that fires. */
export const outageExpectation =
  (storeName: string, timeoutMs: number): OutageExpectation =>
  (operation, codes) => ({ storeName, operation, codes, timeoutMs });

/** Asserts a fail-open route serves an empty session, with no Set-Cookie, while the store is down. */
export async function expectFailOpenEmpty(client: Client): Promise<void> {
  const open = await client.get('/open/read');
  expect(open.status).toBe(200);
  expect(JSON.parse(open.body)).toEqual({});
  expect(open.setCookies).toEqual([]);
}

/**
 * Asserts reads, writes and a newcomer's first save fail with one of `codes` while the server is dead
 * (the newcomer gets no cookie), and that fail-open routes still answer.
 */
export async function expectDeadServer(
  app: App,
  visitor: Client,
  expected: OutageExpectation,
  codes: readonly string[],
): Promise<void> {
  await expectOutage(app, visitor, '/read', expected('load', codes));
  await expectOutage(app, visitor, '/set?lost=1', expected('load', codes));
  const newcomer = app.client();
  await expectOutage(app, newcomer, '/set?x=1', expected('create', codes));
  expect(newcomer.cookies.size).toBe(0);
  await expectFailOpenEmpty(visitor);
}

/**
 * Asserts reads and writes time out (STORE_TIMEOUT) while the server is frozen, and that fail-open routes
 * still answer. Returns the failure of the read.
 */
export async function expectFrozenServer(
  app: App,
  visitor: Client,
  expected: OutageExpectation,
): Promise<Failure> {
  const read = await expectOutage(app, visitor, '/read', expected('load', ['STORE_TIMEOUT']));
  await expectOutage(app, visitor, '/set?lost=1', expected('load', ['STORE_TIMEOUT']));
  await expectFailOpenEmpty(visitor);
  return read;
}

/**
 * Asserts the same app recovers once the server is back: the session reads as it was, its stored record
 * is unchanged, and a write with `visits` lands.
 */
export async function expectRecoveredUnchanged(
  visitor: Client,
  key: string,
  before: RawRecord | null,
  raw: (key: string) => Promise<RawRecord | null>,
  visits: string,
): Promise<void> {
  expect(JSON.parse((await recovered(visitor, '/read')).body)).toEqual(before?.data);
  expect(await raw(key)).toEqual(before);
  expect((await visitor.get(`/set?visits=${visits}`)).status).toBe(200);
  expect((await raw(key))?.data).toEqual({ ...before?.data, visits });
}
