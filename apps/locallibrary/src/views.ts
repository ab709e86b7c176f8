import type { Session } from '@sess/core';
import { CATALOGUE } from './catalogue.js';
import { csrfToken, rotateCsrfToken } from './csrf.js';
import { booksBody, homeBody, loggedOutBody, loginBody, preferencesBody, rememberBody } from './pages.js';
import { DEFAULT_PAGE_SIZE, type LibraryData, PAGE_SIZES } from './session-data.js';
import { bindOwner, logOutOne, logOutOthers, sessionsPage } from './sessions-views.js';
import { checkedForm, csrfFailed, problem, type Route, redirect, render, type View } from './view-kit.js';

export { problem, type Route, type SiteRequest, type SiteResponse, type View } from './view-kit.js';

/** The demo password: any user name logs in with it. */
export const DEMO_PASSWORD = 'library';

const USERNAME = /^[\p{L}\p{N}_.@+-]{1,50}$/u;

const pageSizeOf = (session: Session<LibraryData>): number =>
  session.get('results_per_page') ?? DEFAULT_PAGE_SIZE;

/** `/`: the Django tutorial's counter, written so the first visit shows 1. */
const home: View = async (request, info) => {
  const session = await request.session();
  const visits = (session.get('num_visits') ?? 0) + 1;
  session.set('num_visits', visits);
  const user = session.get('user');
  const body = homeBody({
    visits,
    user,
    perPage: pageSizeOf(session),
    browserClose: session.getExpireAtBrowserClose(),
    expires: session.getExpiryDate(),
    csrf: user ? csrfToken(session) : undefined,
  });
  return render(200, session, info, 'Home', body);
};

/** `/books`: the catalogue, paginated by the session's page size. */
const books: View = async (request, info) => {
  const session = await request.session();
  const size = pageSizeOf(session);
  const pages = Math.max(1, Math.ceil(CATALOGUE.length / size));
  const asked = Number(request.query.get('page') ?? '1');
  const page = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const slice = CATALOGUE.slice((page - 1) * size, page * size);
  return render(200, session, info, 'All books', booksBody(slice, page, pages, CATALOGUE.length));
};

const preferencesForm: View = async (request, info) => {
  const session = await request.session();
  return render(200, session, info, 'Preferences', preferencesBody(pageSizeOf(session), csrfToken(session)));
};

const savePreferences: View = async (request, info) => {
  const checked = await checkedForm(request);
  if (!checked) return csrfFailed(info);
  const { form, session } = checked;
  const size = Number(form.get('results_per_page'));
  if (!PAGE_SIZES.includes(size)) {
    const error = `Books per page must be one of ${PAGE_SIZES.join(', ')}.`;
    const body = preferencesBody(pageSizeOf(session), csrfToken(session), error);
    return render(400, session, info, 'Preferences', body);
  }
  session.set('results_per_page', size);
  session.set('flash', `Saved: ${size} books per page.`);
  return redirect('/preferences');
};

const loginForm: View = async (request, info) => {
  const session = await request.session();
  return render(200, session, info, 'Log in', loginBody(csrfToken(session), ''));
};

const login: View = async (request, info) => {
  const checked = await checkedForm(request);
  if (!checked) return csrfFailed(info);
  const { form, session } = checked;
  const username = (form.get('username') ?? '').trim();
  if (!USERNAME.test(username) || form.get('password') !== DEMO_PASSWORD) {
    const error = 'Unknown user name or wrong password (the password is "library").';
    return render(400, session, info, 'Log in', loginBody(csrfToken(session), username, error));
  }
  // A new key for the same data: whoever knew the old key (session fixation) is locked out.
  await session.cycleKey();
  await bindOwner(request, session, username);
  session.set('user', username);
  rotateCsrfToken(session);
  session.set('flash', `Welcome, ${username}.`);
  return redirect('/');
};

const logout: View = async (request, info) => {
  const checked = await checkedForm(request);
  if (!checked) return csrfFailed(info);
  await checked.session.flush();
  return redirect('/logged-out');
};

/** Touches no session: after a logout nothing is saved, so the browser is left without a cookie. */
const loggedOut: View = async (_request, info) => render(200, undefined, info, 'Logged out', loggedOutBody());

const rememberForm: View = async (request, info) => {
  const session = await request.session();
  const body = rememberBody(session.getExpireAtBrowserClose(), session.getExpiryDate(), csrfToken(session));
  return render(200, session, info, 'Remember me', body);
};

const remember: View = async (request, info) => {
  const checked = await checkedForm(request);
  if (!checked) return csrfFailed(info);
  const { form, session } = checked;
  const choice = form.get('remember');
  if (choice === 'off') session.setExpiry(0);
  else if (choice === 'on') session.setExpiry(null);
  else return problem(400, info, 'Remember me', 'Choose on or off.');
  session.set('flash', choice === 'off' ? 'You will be forgotten when the browser closes.' : 'Remembered.');
  return redirect('/remember');
};

/** Every page of the site. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/', view: home },
  { method: 'GET', path: '/books', view: books },
  { method: 'GET', path: '/preferences', view: preferencesForm },
  { method: 'POST', path: '/preferences', view: savePreferences },
  { method: 'GET', path: '/login', view: loginForm },
  { method: 'POST', path: '/login', view: login },
  { method: 'POST', path: '/logout', view: logout },
  { method: 'GET', path: '/logged-out', view: loggedOut },
  { method: 'GET', path: '/sessions', view: sessionsPage },
  { method: 'POST', path: '/sessions/log-out-others', view: logOutOthers },
  { method: 'POST', path: '/sessions/log-out', view: logOutOne },
  { method: 'GET', path: '/remember', view: rememberForm },
  { method: 'POST', path: '/remember', view: remember },
];

/** Headers every page carries: no framing, no inline script, forms only to this site. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
