import { createMemoryStore, createSessionManager, SessionConfigError, type SessionManager } from '@sess/core';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type FastifySession,
  type FastifySessionOptions,
  type SessionDataOf,
  session,
} from '../src/index.js';
import './app.js';

describe('options', () => {
  const store = createMemoryStore();
  const manager = createSessionManager<SessionDataOf>({ store });

  it.each<[string, FastifySessionOptions]>([
    ['manager options', { store, cookieName: 'sid' }],
    ['eager: true', { store, eager: true }],
    ['eager as a function of the request', { store, eager: (request) => request.url === '/' }],
    ['cookieFor', { store, cookieFor: () => ({ domain: 'example.test' }) }],
    ['a static route policy', { store, policy: { readOnly: true, failOpen: true } }],
    ['a route policy per request', { store, policy: () => ({ readOnly: true }) }],
    ['a prebuilt manager', { manager }],
    ['a prebuilt manager with adapter options', { manager, eager: true }],
  ])('accepts %s', async (_name, options) => {
    const app = Fastify().register(session, options);
    await expect(app.ready()).resolves.toBeDefined();
    await app.close();
  });

  it('decorates the instance with the manager it was given', async () => {
    const app = Fastify().register(session, { manager });
    await app.ready();
    expect(app.sessionManager).toBe(manager);
    await app.close();
  });

  it.each<[string, string, unknown]>([
    ['eager as a string', 'eager', { store, eager: 'yes' }],
    ['cookieFor that is not a function', 'cookieFor', { store, cookieFor: { domain: 'x' } }],
    ['@fastify/session’s cookie object', 'cookie', { store, cookie: { secure: false } }],
    ['@fastify/session’s secret', 'secret', { store, secret: 'a secret with more than 32 characters!!' }],
    ['@fastify/session’s cookiePrefix', 'cookiePrefix', { store, cookiePrefix: 's:' }],
    ['@fastify/session’s rolling', 'rolling', { store, rolling: true }],
    ['@fastify/session’s saveUninitialized', 'saveUninitialized', { store, saveUninitialized: false }],
    ['@fastify/session’s idGenerator', 'idGenerator', { store, idGenerator: () => 'id' }],
    ['a policy with a misspelt flag', 'policy', { store, policy: { readonly: true } }],
    ['a store beside a manager', 'store', { manager, store }],
    ['no store', 'store', {}],
  ])('rejects %s at registration, naming `%s`', async (_name, option, options) => {
    const app = Fastify().register(session, options as FastifySessionOptions);
    const ready = app.ready();
    await expect(ready).rejects.toBeInstanceOf(SessionConfigError);
    await expect(ready).rejects.toMatchObject({ code: 'CONFIG_INVALID', option });
    await expect(ready).rejects.toThrow(/^\[@sess\/(fastify|core)\] /);
    await app.close();
  });

  it('names the sess way for @fastify/session’s options, all at once', async () => {
    const app = Fastify().register(session, {
      store,
      secret: 'a secret with more than 32 characters!!',
      rolling: true,
      idGenerator: () => 'id',
    } as unknown as FastifySessionOptions);
    const ready = app.ready();
    await expect(ready).rejects.toThrow(/secret[\s\S]*secretKey/);
    await expect(ready).rejects.toThrow(/rolling[\s\S]*touchInterval/);
    await expect(ready).rejects.toThrow(/idGenerator[\s\S]*no custom generator/);
    await app.close();
  });

  it('types request.session and request.getSession() from the merged FastifySessionData', () => {
    expectTypeOf<FastifyRequest['getSession']>().returns.resolves.toEqualTypeOf<FastifySession>();
    expectTypeOf<FastifyRequest['session']>().toEqualTypeOf<FastifySession>();
    expectTypeOf<FastifySession['get']>().toBeCallableWith('num_visits');
    expectTypeOf<ReturnType<FastifySession['data']>>().toEqualTypeOf<SessionDataOf>();
    expectTypeOf<SessionDataOf['num_visits']>().toEqualTypeOf<number>();
    const typed = (s: FastifySession) => {
      // @ts-expect-error num_visits is a number in the merged FastifySessionData
      s.set('num_visits', 'one');
      return s.get('num_visits');
    };
    expectTypeOf(typed).returns.toEqualTypeOf<number | undefined>();
    expectTypeOf<Fastify.FastifyInstance['sessionManager']>().toEqualTypeOf<SessionManager<SessionDataOf>>();
  });
});
