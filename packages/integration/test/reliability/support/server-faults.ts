import { SessionStoreError, SessionStoreTimeout } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { Client } from '@sess/http-test-suite';
import { expect } from 'vitest';
import { type AdapterName, startApp } from './app.js';
import { FaultLoad, type FaultVisitor, keyOfCookie, lowestCount, retireSessions } from './fault-load.js';

/** A server a fault test kills and freezes: what the harness's on-demand servers offer. */
export interface FaultableServer {
  kill(): Promise<unknown>;
  start(): Promise<unknown>;
  pause(): void;
  resume(): void;
}

/** One engine's server under a fault, with what the checks need to know about it. */
export interface FaultTarget {
  server: FaultableServer;
  store: SessionStore;
  /** The package errors name, as in `[@sess/store-db] load …`. */
  packageName: string;
  timeoutMs: number;
  /** A request with no answer after this long is a hang. */
  hangMs: number;
  /** Whether the server still holds the session of `key` (a raw read behind the store's back). */
  holds(key: string): Promise<boolean>;
}

/** Asserts the visitor's stored session is its own, with a count its answers allow. */
export async function expectCountKept(visitor: FaultVisitor): Promise<void> {
  const data = JSON.parse((await visitor.client.get('/peek')).body) as { tag: string; count: number };
  expect(data.tag).toBe(visitor.tag);
  expect(data.count).toBeGreaterThanOrEqual(lowestCount(visitor));
  expect(data.count).toBeLessThanOrEqual(visitor.high);
}

/** Asserts every error the app saw is a SessionStoreError naming `packageName` and one of `operations`. */
export function expectStoreErrorsNamed(
  errors: readonly unknown[],
  packageName: string,
  operations: readonly string[],
): void {
  const pattern = new RegExp(`^\\[@sess\\/${packageName}\\] (${operations.join('|')}) `);
  for (const error of errors) {
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as Error).message).toMatch(pattern);
  }
}

/** After the load: each visitor's session kept its count, and each retired cookie stays dead everywhere. */
async function expectNothingLost(
  target: FaultTarget,
  load: FaultLoad,
  url: string,
  retired: readonly string[],
) {
  for (const visitor of load.visitors) await expectCountKept(visitor);
  for (const cookie of retired) {
    const replay = await new Client(url).get('/peek', { cookie });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({});
    expect(await target.holds(keyOfCookie(cookie))).toBe(false);
  }
}

/** Starts an app on `adapter` over the target's store and a running load of 20 visitors labelled `label`. */
async function startLoad(target: FaultTarget, adapter: AdapterName, label: string, allowedCodes: string[]) {
  const app = await startApp(adapter, { store: target.store, storeTimeoutMs: target.timeoutMs });
  const load = new FaultLoad(app.url, 20, label, { hangMs: target.hangMs, allowedCodes });
  await load.open();
  load.start();
  await load.until('the load to run', () => load.successes >= 100);
  return { app, load };
}

/**
 * Kills the server under load and restarts it: clear errors while it is down, recovery without an app
 * restart, nothing lost or resurrected. Returns the load's report.
 */
export async function killAndRestartUnderLoad(
  target: FaultTarget,
  adapter: AdapterName,
  label: string,
): Promise<string> {
  const { app, load } = await startLoad(target, adapter, label, ['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
  const retired = await retireSessions(app.url, label);

  await target.server.kill();
  await load.until('requests to fail while the server is down', () => load.errors >= 40);
  await target.server.start();
  await load.everyoneSucceeds(3);
  await load.stop();

  expect(load.violations).toEqual([]);
  await expectNothingLost(target, load, app.url, retired);
  expectStoreErrorsNamed(app.errors, target.packageName, ['load', 'create', 'update', 'touch', 'destroy']);
  await app.close();
  return load.report();
}

/**
 * Freezes the server (SIGSTOP) under load and resumes it: operation timeouts fire and are reported, then
 * the same sessions go on. Returns the load's report.
 */
export async function freezeAndResumeUnderLoad(
  target: FaultTarget,
  adapter: AdapterName,
  label: string,
): Promise<string> {
  const { app, load } = await startLoad(target, adapter, label, ['STORE_TIMEOUT', 'STORE_UNAVAILABLE']);

  // A write that timed out while the server was frozen may land after a later one once it resumes.
  load.allowLateWrites(load.visitors.map((visitor) => visitor.low));
  target.server.pause();
  try {
    await load.until('operation timeouts', () => (load.errorCodes.get('STORE_TIMEOUT') ?? 0) >= 20);
  } finally {
    target.server.resume();
  }
  await load.everyoneSucceeds(3);
  await load.stop();

  expect(load.violations).toEqual([]);
  await expectNothingLost(target, load, app.url, []);
  const timeouts = app.errors.filter((error) => error instanceof SessionStoreTimeout);
  expect(timeouts.length).toBeGreaterThanOrEqual(20);
  const pattern = new RegExp(
    `^\\[@sess\\/${target.packageName}\\] (load|update) did not complete within ${target.timeoutMs} ms$`,
  );
  for (const error of timeouts) {
    expect(error).toMatchObject({ code: 'STORE_TIMEOUT', timeoutMs: target.timeoutMs });
    expect(error.message).toMatch(pattern);
  }
  await app.close();
  return load.report();
}
