import { createMemoryStore, SessionConfigError, type SessionManagerOptions } from '@sess/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { standardRoutes } from './routes.js';

/** Options are validated when the middleware is built, naming the option. */
export function optionTests(context: SuiteContext): void {
  const { adapter } = context;
  const store = createMemoryStore();

  describe('options', () => {
    it.each<[string, string, Record<string, unknown>]>([
      ['eager that is not a boolean or function', 'eager', { store, eager: 'yes' }],
      ['a negative cookieAge', 'cookieAge', { store, cookieAge: -1 }],
      ['an unknown option', 'cookieMaxAge', { store, cookieMaxAge: 60 }],
      ['no store', 'store', {}],
      [
        'a tokenHeader that is not a header name',
        'tokenHeader.request',
        { store, tokenHeader: { request: 'a b', response: 'x' } },
      ],
      [
        'a tokenHeader answering in Set-Cookie',
        'tokenHeader.response',
        { store, tokenHeader: { request: 'x', response: 'Set-Cookie' } },
      ],
    ])('rejects %s when the middleware is built, naming `%s`', async (_title, option, options) => {
      const started = adapter.start({ options: options as SessionManagerOptions }, standardRoutes);
      await expect(started).rejects.toBeInstanceOf(SessionConfigError);
      await expect(started).rejects.toMatchObject({ code: 'CONFIG_INVALID', option });
      await expect(started).rejects.toThrow(`\`${option}\``);
    });
  });
}
