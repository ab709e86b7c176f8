import { readFileSync } from 'node:fs';
import {
  type Clock,
  type CommitResult,
  createSessionManager,
  type Session,
  type SessionManager,
  type SessionManagerOptions,
} from '@sess/core';
import type {
  BackendProvider,
  BackendWrite,
  CookieJar,
  OpenedSession,
  SessionBackend,
  SessionData,
} from '@sess/core/store';
import { createTestClock, type TestClock } from '@sess/core/testing';
import { expect } from 'vitest';
// Core's own parser (not a public export): the jar a request would really have.
import { parseCookieHeader } from '../../core/src/cookie-header.js';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';

export const NEW_SECRET = 'store-cookie-test-secret-new-0123456789abcdef';
export const OLD_SECRET = 'store-cookie-test-secret-old-fedcba9876543210';
/** 2024-01-01T00:00:00Z. */
export const START = Date.UTC(2024, 0, 1);
/** The manager's default cookieAge (Django's SESSION_COOKIE_AGE), seconds. */
export const COOKIE_AGE = 1_209_600;

/** What the manager binds into the backend; `now` fixes the clock when no `clock` is given. */
export interface Binding {
  cookieName?: string;
  cookieAge?: number;
  now?: number;
  clock?: Clock;
}

/** The backend a manager would build from `store` (cookie `sessionid`, two weeks, a clock fixed at START). */
export function bind(store: BackendProvider, binding: Binding = {}): SessionBackend {
  const { cookieName = 'sessionid', cookieAge = COOKIE_AGE } = binding;
  const now = binding.now ?? START;
  return store.createBackend({ cookieName, cookieAge, clock: binding.clock ?? { now: () => now } });
}

/** What `open` gives a request without a session: a write with it has no cookies of the browser to answer. */
export const NOTHING_OPENED: OpenedSession = Object.freeze({ key: null, record: null });

/** A whole write of `data`, as the manager makes it at `now` (lastSeenAt), expiring at `expiresAt`. */
export function writeOf(
  data: SessionData,
  at: { now?: number; createdAt?: number; expiresAt?: number } = {},
): BackendWrite {
  const { now = START, expiresAt = START + 3_600_000 } = at;
  const createdAt = at.createdAt ?? now;
  return {
    key: null,
    record: { data, expiresAt, meta: { createdAt, lastSeenAt: now } },
    change: { now, defaultLifetime: COOKIE_AGE, expiry: { expiresAt, lifetime: null } },
  };
}

/** Reads a JSON fixture from `test/fixtures/`. */
export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** A jar holding exactly `cookies`. */
export function jarOf(cookies: Record<string, string>): CookieJar {
  const map = new Map(Object.entries(cookies));
  return { get: (name) => map.get(name), names: () => map.keys() };
}

/** `name=value` of a Set-Cookie header, and whether it deletes the cookie. */
export function parseSetCookie(header: string): { name: string; value: string; deletes: boolean } {
  const pair = header.slice(0, header.indexOf(';'));
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), deletes: /; Max-Age=0(;|$)/.test(header) };
}

/**
 * A browser's cookie jar for one site: applies Set-Cookie headers (a `Max-Age=0` deletes) and refuses,
 * like Chromium, any cookie whose name and value exceed 4096 bytes, so a test fails if one is ever sent.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  apply(setCookie: readonly string[]): void {
    for (const header of setCookie) {
      const { name, value, deletes } = parseSetCookie(header);
      expect(name.length + value.length, `${name} is over what Chromium keeps`).toBeLessThanOrEqual(4096);
      if (deletes) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  names(): string[] {
    return [...this.cookies.keys()].sort();
  }
}

/** One request through the manager: load, let the handler act, commit, apply the cookies. */
export async function visit(
  manager: SessionManager,
  browser: Browser,
  handler: (session: Session) => void | Promise<void> = () => {},
): Promise<CommitResult & { session: Session }> {
  const request = manager.open({ cookieHeader: browser.header() });
  const session = await request.load();
  await handler(session);
  const result = await request.commit(200);
  browser.apply(result.setCookie);
  return { ...result, session };
}

/**
 * A manager over a cookie store, with a test clock, and a fresh browser; `backend` is bound as the
 * manager's is (its cookie name, cookie age and clock), to look at what the engine opens.
 */
export function setup(
  storeOptions: Partial<CookieStoreOptions> = {},
  managerOptions: Omit<SessionManagerOptions, 'store' | 'clock'> = {},
  start = START,
): { backend: SessionBackend; manager: SessionManager; clock: TestClock; browser: Browser } {
  const clock = createTestClock(start);
  const store = createCookieStore({ secretKey: NEW_SECRET, ...storeOptions });
  const manager = createSessionManager({ store, clock, ...managerOptions });
  const cookieName = managerOptions.cookieName ?? 'sessionid';
  const backend = bind(store, { cookieName, cookieAge: managerOptions.cookieAge ?? COOKIE_AGE, clock });
  return { backend, manager, clock, browser: new Browser() };
}

/** The jar a request carrying `browser`'s cookies would have. */
export function jarFrom(browser: Browser): CookieJar {
  return parseCookieHeader(browser.header());
}

/** A string of `length` characters that deflate cannot shrink much (random base64url). */
export function incompressible(length: number, seed = 1): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const random = seeded(seed);
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * 64)];
  return text;
}

/** A small seeded PRNG (mulberry32), so generated inputs are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
