import { createServer, type Server } from 'node:http';
import type { Session, SessionData } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { session } from '@sess/express';
import type express from 'express';
import type { ErrorRequestHandler } from 'express';
import { type AppResponse, appRequest, pathOf, type ServerSpec } from './app-spec.js';

/**
 * An Express app (Express 5 or Express 4, by factory): `@sess/express`'s middleware, the handler (its
 * rejections go to `next`), and an error handler that records each error and answers it with
 * `spec.errorResponse`, or with the error's `status` (else 500) and its code as text.
 */
export const expressServer =
  (factory: typeof express) =>
  (spec: ServerSpec): Server => {
    const sessions = session({ ...spec.session, policy: (req) => spec.policy?.(pathOf(req.url)) });
    const app = factory();
    app.use(sessions);
    app.use((req, res, next) => {
      spec
        .handler(
          appRequest(
            sessions.manager,
            req.method,
            req.url,
            () => sessions.getSession(req),
            () => (req as { session?: Session<SessionData> | null }).session,
          ),
        )
        .then((response) => {
          res
            .status(response.status ?? 200)
            .type(response.type ?? 'text/plain')
            .send(response.body ?? '');
        }, next);
    });
    const recordErrors: ErrorRequestHandler = (error, _req, res, _next) => {
      spec.errors.push(error);
      const answer: AppResponse = spec.errorResponse?.(error) ?? {
        status: typeof error?.status === 'number' ? error.status : 500,
        body: String(error?.code ?? 'error'),
      };
      res
        .status(answer.status ?? 500)
        .type(answer.type ?? 'text/plain')
        .send(answer.body ?? '');
    };
    app.use(recordErrors);
    return createServer(app);
  };

/**
 * @sess/express's unchanged Passport app (Passport 0.7, passport-local, connect-flash, csrf-sync;
 * packages/express/test/apps/auth-app.ts) over `store`, on an Express factory. Loaded on first use.
 */
export const expressPassportServer =
  (factory: typeof express) =>
  async (store: SessionStore): Promise<Server> => {
    const { authApp } = await import('../../../express/test/apps/auth-app.js');
    return createServer(authApp(factory, store));
  };
