import { createSessionManager, SessionConfigError } from '@sess/core';
import { session as expressSession } from '@sess/express';
import { session as koaSession } from '@sess/koa';
import { createDjangoDbStore } from '@sess/store-db';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Django's table keeps no session metadata (no last-seen or creation time), so a touch or a rotation
 * could never fall due: the options are refused when the middleware is built, not accepted and ignored.
 */
const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/never-connected' });
afterAll(() => pool.end());

const refusedBy = (option: 'touchInterval' | 'rotateInterval') => {
  const options = {
    store: createDjangoDbStore(pool, { secretKey: 'django-insecure-refusal-test' }),
    [option]: 60,
  };
  for (const build of [
    () => koaSession(options),
    () => expressSession(options),
    () => createSessionManager(options),
  ]) {
    expect(build).toThrow(SessionConfigError);
    expect(build).toThrow(new RegExp(`\`${option}\``));
  }
};

describe('PostgreSQL (Django mode)', () => {
  it('touch throttling: refused at construction by both adapters (no session metadata to tell when it is due)', () =>
    refusedBy('touchInterval'));
  it('key rotation: refused at construction by both adapters (no session metadata to tell when it is due)', () =>
    refusedBy('rotateInterval'));
});
