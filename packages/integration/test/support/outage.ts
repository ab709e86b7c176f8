import { readdirSync, readFileSync } from 'node:fs';
import { isSessionError, type SessionStoreError } from '@sess/core';
import type { Client, ClientResponse } from '@sess/http-test-suite';
import { expect } from 'vitest';
import { type App, type AppHandler, appRoutes, atPath, NEWEST_FRAMEWORKS } from '../../src/index.js';

/** The frameworks each outage is proved through: the newest major of each adapter. */
export const OUTAGE_FRAMEWORKS = NEWEST_FRAMEWORKS;

/** `/open/…` paths are fail-open: the rest of the path is served by the app's routes. */
export const failOpenPolicy = (path: string) => (path.startsWith('/open/') ? { failOpen: true } : undefined);

/** The app's routes, also under `/open/` (where {@link failOpenPolicy} makes the route fail-open). */
export const outageRoutes: AppHandler = (request) =>
  appRoutes(request.path.startsWith('/open/') ? atPath(request, request.path.slice(5)) : request);

/** What one failed request showed: its response, the error the framework handled, and how long it took. */
export interface Failure {
  response: ClientResponse;
  error: SessionStoreError;
  elapsedMs: number;
}

/**
 * Sends a request that must fail while the store is down: a 5xx through the framework's error handling
 * without Set-Cookie, carrying a store error that names `storeName` and `operation` with one of `codes`.
 * "Within the timeout" is checked loosely (the deadline plus scheduling slack): the point is no hang.
 */
export async function expectOutage(
  app: App,
  client: Client,
  path: string,
  expected: { storeName: string; operation: string; codes: readonly string[]; timeoutMs: number },
): Promise<Failure> {
  const before = app.errors.length;
  const started = performance.now();
  const response = await client.get(path);
  const elapsedMs = Math.round(performance.now() - started);
  expect(response.status, `${app.framework} ${path}`).toBeGreaterThanOrEqual(500);
  expect(response.status).toBeLessThan(600);
  expect(response.setCookies).toEqual([]);
  expect(app.errors).toHaveLength(before + 1);
  const error = app.errors[before] as SessionStoreError;
  expect(isSessionError(error), String(error)).toBe(true);
  expect(expected.codes).toContain(error.code);
  expect(error.operation).toBe(expected.operation);
  expect(error.message).toContain(`[${expected.storeName}]`);
  expect(error.message).toContain(expected.operation);
  if (error.code === 'STORE_TIMEOUT') expect(error.message).toContain(`within ${expected.timeoutMs} ms`);
  expect(elapsedMs).toBeLessThan(expected.timeoutMs + 3_000);
  return { response, error, elapsedMs };
}

/** Repeats `path` until it answers 200 (the client reconnecting in the background), without restarting the app. */
export async function recovered(client: Client, path: string): Promise<ClientResponse> {
  let last: ClientResponse | undefined;
  for (let attempt = 0; attempt < 60; attempt++) {
    last = await client.get(path);
    if (last.status === 200) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${path} still answers ${last?.status} after the server came back`);
}

/** The pids of every process below `root` (PostgreSQL's backends are its children). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Sends `signal` to each pid, ignoring those already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}
