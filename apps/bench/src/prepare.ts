import { CookieJar, get } from './http-client.js';

/** What a contender got wrong (fatal) and what it did that is worth a note. */
export interface Verdict {
  failures: string[];
  notes: string[];
}

/**
 * Checks that a server does the workload's job: a new visitor gets a cookie and count 1, the returning
 * visitor's count goes up, `/read` reads it without changing it, `/static` answers. Bare frameworks only
 * need to answer 200.
 */
export async function verify(url: string, bare: boolean): Promise<Verdict> {
  const failures: string[] = [];
  const notes: string[] = [];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected)
      failures.push(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  };
  const jar = new CookieJar();
  const first = await get(url, '/visit');
  expect('new visitor status', first.status, 200);
  if (bare) {
    for (const path of ['/read', '/static']) expect(`${path} status`, (await get(url, path)).status, 200);
    return { failures, notes };
  }
  expect('new visitor body', first.body, 'visits: 1');
  if (first.setCookies.length === 0) failures.push('new visitor: no Set-Cookie');
  jar.update(first.setCookies);
  const second = await get(url, '/visit', jar.header());
  expect('returning visitor body', second.body, 'visits: 2');
  jar.update(second.setCookies);
  const read = await get(url, '/read', jar.header());
  expect('/read body', read.body, 'visits: 2');
  if (read.setCookies.length > 0) notes.push('/read sends Set-Cookie');
  const untouched = await get(url, '/static', jar.header());
  expect('/static status', untouched.status, 200);
  if (untouched.setCookies.length > 0) notes.push('/static sends Set-Cookie');
  return { failures, notes };
}

/**
 * Creates `count` sessions the way browsers do (a first visit without a cookie) and returns the Cookie
 * header each visitor would send next.
 */
export async function seed(url: string, count: number, concurrency = 16): Promise<string[]> {
  const headers: string[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < count) {
      next++;
      const reply = await get(url, '/visit');
      if (reply.status !== 200) throw new Error(`bench: seeding got ${reply.status}: ${reply.body}`);
      const header = new CookieJar().update(reply.setCookies).header();
      if (header) headers.push(header);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return headers;
}
