import { standardRoutes } from '@sess/http-test-suite';
import type { AppHandler, AppRequest } from './frameworks/index.js';

/**
 * The same request under another path (a route mounted under a prefix). Not a spread: the `session`
 * property stays a getter, which throws `SessionNotLoaded` until the session is loaded.
 */
export function atPath(request: AppRequest, path: string): AppRequest {
  return {
    method: request.method,
    path,
    query: request.query,
    getSession: request.getSession,
    get session() {
      return request.session;
    },
    manager: request.manager,
  };
}

/**
 * The suite's standard routes (`/count`, `/read`, `/set?k=v…`, `/flush`, `/cycle`, `/status?code=N`, …)
 * plus a login flow with owners:
 * - `/login?user=U`: `cycleKey()` (against fixation), `setOwner(U)`, stores `user`; answers the handle;
 * - `/bind?user=U`: `setOwner(U)` and stores `user`, keeping the key (a login without `cycleKey()`);
 * - `/save`: `save()` on the session without changing it; answers `saved`;
 * - `/me`: the logged-in user, or `anonymous`;
 * - `/sessions`: the user's sessions as JSON (`manager.sessionsOf`), the current one marked;
 * - `/logout-others`: `manager.revokeSessions(user, { except: session.handle })`; answers the count;
 * - `/revoke?handle=H`: `manager.revokeSession(user, H)`;
 * - `/fail?k=v…`: stores each query parameter, then throws (the framework answers 500).
 */
export const appRoutes: AppHandler = async (request) => {
  switch (request.path) {
    case '/login': {
      const session = await request.getSession();
      const user = request.query.get('user') ?? '';
      await session.cycleKey();
      await session.setOwner(user);
      session.set('user', user);
      return { body: session.handle ?? '' };
    }
    case '/bind': {
      const session = await request.getSession();
      const user = request.query.get('user') ?? '';
      await session.setOwner(user);
      session.set('user', user);
      return { body: 'bound' };
    }
    case '/save': {
      const session = await request.getSession();
      await session.save();
      return { body: 'saved' };
    }
    case '/me': {
      const session = await request.getSession();
      return { body: String(session.get('user') ?? 'anonymous') };
    }
    case '/sessions': {
      const session = await request.getSession();
      const listed = await request.manager.sessionsOf(String(session.get('user')));
      return {
        body: JSON.stringify(listed.map((entry) => ({ ...entry, current: entry.handle === session.handle }))),
      };
    }
    case '/logout-others': {
      const session = await request.getSession();
      const count = await request.manager.revokeSessions(String(session.get('user')), {
        except: session.handle,
      });
      return { body: String(count) };
    }
    case '/revoke': {
      const session = await request.getSession();
      const done = await request.manager.revokeSession(
        String(session.get('user')),
        request.query.get('handle') ?? '',
      );
      return { body: String(done) };
    }
    case '/fail': {
      const session = await request.getSession();
      for (const [name, value] of request.query) session.set(name, value);
      throw new Error('the handler failed after changing the session');
    }
    default:
      return standardRoutes(request);
  }
};
