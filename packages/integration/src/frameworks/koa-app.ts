import { createServer, type Server } from 'node:http';
import type { Session, SessionData } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { session } from '@sess/koa';
import type Koa from 'koa';
import { appRequest, type ServerSpec } from './app-spec.js';

/**
 * A Koa app (Koa 3 or Koa 2, by class): an outermost middleware records each error, then answers it with
 * `spec.errorResponse` or rethrows it to Koa's own error handling (status = the error's `status`, else
 * 500; headers set before it are dropped); then `@sess/koa`'s middleware, then the handler.
 */
export const koaServer =
  (KoaClass: typeof Koa) =>
  (spec: ServerSpec): Server => {
    const app = new KoaClass();
    app.silent = true;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        spec.errors.push(error);
        if (!spec.errorResponse) throw error;
        const answer = spec.errorResponse(error);
        ctx.status = answer.status ?? 500;
        ctx.type = answer.type ?? 'text/plain';
        ctx.body = answer.body ?? '';
      }
    });
    const middleware = session({ ...spec.session, policy: (ctx) => spec.policy?.(ctx.path) });
    app.use(middleware);
    app.use(async (ctx) => {
      const response = await spec.handler(
        appRequest(
          middleware.manager,
          ctx.method,
          ctx.url,
          () => ctx.getSession(),
          () => ctx.session as Session<SessionData> | null | undefined,
        ),
      );
      ctx.status = response.status ?? 200;
      ctx.type = response.type ?? 'text/plain';
      ctx.body = response.body ?? '';
    });
    return createServer(app.callback());
  };

/**
 * @sess/koa's unchanged koa-passport app (koa-passport 6, passport-local, @koa/router, @koa/bodyparser;
 * packages/koa/test/apps/auth-app.ts) over `store`, on a Koa class. Loaded on first use.
 */
export const koaPassportServer =
  (KoaClass: typeof Koa) =>
  async (store: SessionStore): Promise<Server> => {
    const { authApp } = await import('../../../koa/test/apps/auth-app.js');
    return createServer(authApp(KoaClass, store).callback());
  };
