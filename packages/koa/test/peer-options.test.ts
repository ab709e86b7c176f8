import { createMemoryStore, SessionConfigError } from '@sess/core';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { type KoaSessionOptions, session } from '../src/index.js';

const store = createMemoryStore();

function thrown(fn: () => unknown): SessionConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionConfigError) return error;
    throw error;
  }
  throw new Error('expected a SessionConfigError');
}

/** Every koa-session option, with a word of the sess equivalent its message must name. */
const KOA_SESSION: [string, unknown, RegExp][] = [
  ['key', 'koa.sess', /cookieName/],
  ['maxAge', 86_400_000, /cookieAge, in seconds/],
  ['autoCommit', false, /commitSession\(\)/],
  ['overwrite', true, /exactly one Set-Cookie/],
  ['httpOnly', true, /cookieHttpOnly/],
  ['signed', true, /needs no signature/],
  ['rolling', true, /touchInterval/],
  ['renew', true, /touchInterval/],
  ['secure', true, /cookieSecure/],
  ['sameSite', 'lax', /cookieSameSite/],
  ['ContextStore', class {}, /store:/],
  ['externalKey', { get: () => '' }, /tokenHeader/],
  ['genid', () => 'id', /CSPRNG/],
  ['prefix', 'sess:', /createRedisStore\(client, \{ prefix/],
  ['encode', String, /createCookieStore/],
  ['decode', String, /createCookieStore/],
  ['valid', () => true, /schema/],
  ['beforeSave', () => {}, /onEvent/],
];

describe('koa-session options through @sess/koa', () => {
  it('reports every koa-session option at once, each with its sess equivalent', () => {
    const options = Object.fromEntries(KOA_SESSION.map(([name, value]) => [name, value]));
    const error = thrown(() => session({ store, ...options } as KoaSessionOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^\[@sess\/koa\] unknown options:/);
    const lines = error.message.split('\n');
    for (const [name, , equivalent] of KOA_SESSION) {
      const line = lines.find((l) => l.trimStart().startsWith(`\`${name}\`:`));
      expect(line, name).toMatch(equivalent);
    }
  });

  it.each([
    ['session(app)', () => session(new Koa() as never)],
    ['session(opts, app)', () => session({ store }, new Koa())],
    ['session(app, opts)', () => session(new Koa() as never, { store })],
  ])('refuses koa-session’s %s form, saying how to write it', (_form, build) => {
    const error = thrown(build);
    expect(error.option).toBe('options');
    expect(error.message).toContain('sess takes no app');
    expect(error.message).toContain('app.use(session({ store, … }))');
  });

  it('refuses a cookieAge over ten years with a message about units (milliseconds given)', () => {
    const error = thrown(() => session({ store, cookieAge: 30 * 24 * 3600 * 1000 }));
    expect(error.option).toBe('cookieAge');
    expect(error.message).toContain('seconds');
    expect(error.message).toContain('did you give milliseconds? 2592000000 ms = 2592000 s');
  });

  it('refuses koa-session’s default-sized maxAge given as cookieAge (a day in ms), past what browsers keep', () => {
    const error = thrown(() => session({ store, cookieAge: 86_400_000 }));
    expect(error.option).toBe('cookieAge');
    expect(error.message).toContain('browsers keep a cookie at most 400 days');
  });
});
