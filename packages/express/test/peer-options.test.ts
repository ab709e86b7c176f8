import { createMemoryStore, SessionConfigError } from '@sess/core';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { type ExpressSessionOptions, session } from '../src/index.js';

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

/** Every express-session option (but `store`, which sess shares), with a word of the sess equivalent. */
const EXPRESS_SESSION: [string, unknown, RegExp][] = [
  ['secret', 'keyboard cat', /needs no secret.*createCookieStore\(\{ secretKey, secretKeyFallbacks \}\)/],
  ['name', 'connect.sid', /cookieName/],
  ['cookie', { maxAge: 60_000, secure: true }, /cookieAge \(seconds\).*cookieFor\(req\)/],
  ['genid', () => 'id', /CSPRNG/],
  ['resave', false, /never rewrites an unchanged session/],
  ['saveUninitialized', false, /never stores an empty new session/],
  ['rolling', true, /touchInterval/],
  ['proxy', true, /cookieSecure: 'auto'/],
  ['unset', 'destroy', /req\.session = null/],
];

describe('express-session options through @sess/express', () => {
  it('reports every express-session option at once, each with its sess equivalent', () => {
    const options = Object.fromEntries(EXPRESS_SESSION.map(([name, value]) => [name, value]));
    const error = thrown(() => session({ store, ...options } as ExpressSessionOptions));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^\[@sess\/express\] unknown options:/);
    const lines = error.message.split('\n');
    for (const [name, , equivalent] of EXPRESS_SESSION) {
      const line = lines.find((l) => l.trimStart().startsWith(`\`${name}\`:`));
      expect(line, name).toMatch(equivalent);
    }
  });

  it('refuses a cookieAge over ten years with a message about units (cookie.maxAge’s milliseconds)', () => {
    const error = thrown(() => session({ store, cookieAge: 30 * 24 * 3600 * 1000 }));
    expect(error.option).toBe('cookieAge');
    expect(error.message).toContain('did you give milliseconds? 2592000000 ms = 2592000 s');
  });

  it('refuses the issue’s own milliseconds habit, cookieAge: 86400000 (a day in ms), past what browsers keep', () => {
    const error = thrown(() => session({ store, cookieAge: 86_400_000 }));
    expect(error.option).toBe('cookieAge');
    expect(error.message).toContain('browsers keep a cookie at most 400 days');
    expect(error.message).toContain('did you give milliseconds? 86400000 ms = 86400 s');
  });

  it('refuses an app where the options belong', () => {
    const error = thrown(() => session(express() as never));
    expect(error.message).toContain('sess takes no app');
  });
});
