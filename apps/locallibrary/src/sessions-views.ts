import type { Session, SessionManager } from '@sess/core';
import { csrfToken } from './csrf.js';
import { sessionsBody, sessionsUnsupportedBody } from './pages.js';
import type { LibraryData } from './session-data.js';
import {
  checkedForm,
  csrfFailed,
  problem,
  redirect,
  render,
  type SiteRequest,
  type View,
} from './view-kit.js';

/**
 * Whether the engine can list and revoke a user's sessions: it needs an owner index, and a format that
 * keeps the owner (Django mode keeps only the data). memory and db can; file, memcached, cookie cannot.
 */
export function canListSessions(manager: SessionManager<LibraryData>): boolean {
  const { capabilities } = manager.backend;
  return capabilities.ownerIndex && capabilities.metadata !== false;
}

/**
 * At login, after `cycleKey()`: binds the session to the user, so "your sessions" can list and revoke it.
 * Skipped on engines without an owner index, where `setOwner()` would answer `CapabilityMissing`.
 */
export async function bindOwner(
  request: SiteRequest,
  session: Session<LibraryData>,
  user: string,
): Promise<void> {
  if (canListSessions(request.manager)) await session.setOwner(user);
}

/** `/sessions`: the user's sessions (never their keys), this device marked, and the forms to end them. */
export const sessionsPage: View = async (request, info) => {
  const session = await request.session();
  const user = session.get('user');
  if (!user) return redirect('/login');
  if (!canListSessions(request.manager)) {
    return render(200, session, info, 'Your sessions', sessionsUnsupportedBody(info.engine));
  }
  const rows = (await request.manager.sessionsOf(user)).map((owned) => ({
    ...owned,
    current: owned.handle === session.handle,
  }));
  return render(200, session, info, 'Your sessions', sessionsBody(rows, csrfToken(session)));
};

/** The checked form of a logged-in user on an engine that lists sessions, or the response refusing it. */
async function revocation(request: SiteRequest, info: Parameters<View>[1]) {
  const checked = await checkedForm(request);
  if (!checked) return { refused: csrfFailed(info) };
  const user = checked.session.get('user');
  if (!user) return { refused: redirect('/login') };
  if (!canListSessions(request.manager)) {
    const message = `The ${info.engine} engine keeps no index of a user's sessions, so it cannot list or end them.`;
    return { refused: problem(400, info, 'Your sessions', message) };
  }
  return { ...checked, user };
}

/** "Log out other devices": destroys every session of the user but this one. */
export const logOutOthers: View = async (request, info) => {
  const checked = await revocation(request, info);
  if ('refused' in checked) return checked.refused;
  const { session, user } = checked;
  const count = await request.manager.revokeSessions(user, { except: session.handle });
  session.set('flash', `Logged out ${count} other device(s).`);
  return redirect('/sessions');
};

/** One row's "log out": destroys that session; this device's own row is an ordinary logout. */
export const logOutOne: View = async (request, info) => {
  const checked = await revocation(request, info);
  if ('refused' in checked) return checked.refused;
  const { form, session, user } = checked;
  const handle = form.get('handle') ?? '';
  if (handle === session.handle) {
    await session.flush();
    return redirect('/logged-out');
  }
  const found = await request.manager.revokeSession(user, handle);
  session.set('flash', found ? 'Logged out that device.' : 'That session had already ended.');
  return redirect('/sessions');
};
