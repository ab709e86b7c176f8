import type { Book } from './catalogue.js';
import type { EngineName, FrameworkName } from './config.js';
import { CSRF_FIELD } from './csrf.js';
import { html, type SafeHtml } from './html.js';
import { PAGE_SIZES } from './session-data.js';

/** What every page's footer says about how it was served. */
export interface SiteInfo {
  engine: EngineName;
  /** Where the engine keeps sessions (a directory, a server), for the footer. */
  where: string;
  framework: FrameworkName;
}

/** Per-page details of the layout. */
export interface LayoutParts {
  title: string;
  info: SiteInfo;
  user?: string | undefined;
  flash?: string | undefined;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222}header,main,footer{max-width:46rem;margin:auto;padding:.5rem 1rem}
header{display:flex;gap:1rem;flex-wrap:wrap;border-bottom:1px solid #ccc}footer{color:#666;font-size:.9rem;border-top:1px solid #ccc}
.flash{background:#eef6e8;padding:.5rem}.error{background:#fbe9e9;padding:.5rem}form.inline{display:inline}label{display:block;margin:.5rem 0}`;

/** The page shell: navigation, a one-time message, the body, and which engine served it. */
export function layout(parts: LayoutParts, body: SafeHtml): string {
  const { title, info, user, flash } = parts;
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · LocalLibrary</title><style>${STYLE}</style></head>
<body>
<header><strong><a href="/">LocalLibrary</a></strong>
<a href="/books">All books</a> <a href="/preferences">Preferences</a> <a href="/remember">Remember me</a>
${user ? html`<span id="user">Signed in as ${user}</span>` : html`<a href="/login">Log in</a>`}</header>
<main>
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
<h1>${title}</h1>
${body}
</main>
<footer>Sessions: <span id="engine">${info.engine}</span> engine (${info.where}), served by
<span id="framework">${info.framework}</span>.</footer>
</body>
</html>
`.value;
}

const token = (csrf: string): SafeHtml => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** What the home page shows. */
export interface HomeView {
  visits: number;
  user: string | undefined;
  perPage: number;
  /** The session cookie goes at browser close. */
  browserClose: boolean;
  expires: Date;
  csrf: string | undefined;
}

/** The home page: the visit counter of the Django tutorial, and what else the session holds. */
export function homeBody(view: HomeView): SafeHtml {
  const signedIn = view.user
    ? html`<p>You are logged in as <strong>${view.user}</strong>.</p>
<form class="inline" method="post" action="/logout">${token(view.csrf ?? '')}<button type="submit">Log out</button></form>
<a href="/sessions" id="your-sessions">Your sessions</a>`
    : html`<p>You are not logged in. <a href="/login">Log in</a> (any name, password <code>library</code>).</p>`;
  const lifetime = view.browserClose
    ? html`Your session cookie lasts until you close the browser.`
    : html`Your session lasts until <time datetime="${view.expires.toISOString()}">${view.expires.toUTCString()}</time> unless you come back sooner.`;
  return html`<p>Welcome to LocalLibrary, a small library site whose state lives in a <code>sess</code> session.</p>
<p id="visits">You have visited this page ${view.visits} time(s).</p>
${signedIn}
<p>The catalogue shows <span id="per-page">${view.perPage}</span> books per page (<a href="/preferences">change</a>).</p>
<p id="lifetime">${lifetime} (<a href="/remember">change</a>)</p>`;
}

/** The catalogue, one page of it. */
export function booksBody(books: readonly Book[], page: number, pages: number, total: number): SafeHtml {
  const link = (to: number, label: string) =>
    to >= 1 && to <= pages ? html`<a href="/books?page=${to}">${label}</a>` : html`<span>${label}</span>`;
  return html`<p>${total} books, page ${page} of ${pages}.</p>
<ul id="books">${books.map((book) => html`<li><cite>${book.title}</cite>, ${book.author} (${book.year})</li>`)}</ul>
<nav>${link(page - 1, '← previous')} ${link(page + 1, 'next →')}</nav>`;
}

/** The preferences form. */
export function preferencesBody(current: number, csrf: string, error?: string): SafeHtml {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/preferences">${token(csrf)}
<label>Books per page
<select name="results_per_page">${PAGE_SIZES.map(
    (size) => html`<option value="${size}"${size === current ? html` selected` : ''}>${size}</option>`,
  )}</select></label>
<button type="submit">Save</button></form>
<p>The choice is kept in your session, not in an account: it follows this browser, logged in or not.</p>`;
}

/** The login form. */
export function loginBody(csrf: string, username: string, error?: string): SafeHtml {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p>A demonstration: any user name works with the password <code>library</code>. Logging in keeps your
session's data but gives it a new key (<code>cycleKey()</code>), so a key someone planted before you
logged in is worth nothing afterwards.</p>
<form method="post" action="/login">${token(csrf)}
<label>User name <input name="username" value="${username}" autocomplete="username" required maxlength="50"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button></form>`;
}

/** After logout. */
export function loggedOutBody(): SafeHtml {
  return html`<p>You are logged out. <code>flush()</code> deleted the session's data and its record, and the
response deleted the cookie: the visit counter starts again at 1.</p><p><a href="/">Home</a></p>`;
}

/** The "remember me" toggle. */
export function rememberBody(browserClose: boolean, expires: Date, csrf: string): SafeHtml {
  const state = browserClose
    ? html`<p id="remember-state">Off: the session cookie has no expiry date, so the browser drops it when it
closes (<code>setExpiry(0)</code>).</p>`
    : html`<p id="remember-state">On: the session cookie expires on ${expires.toUTCString()}, two weeks after
the last change (the default, <code>setExpiry(null)</code>).</p>`;
  return html`${state}
<form class="inline" method="post" action="/remember">${token(csrf)}<input type="hidden" name="remember" value="on">
<button type="submit" id="remember-on">Remember me on this computer</button></form>
<form class="inline" method="post" action="/remember">${token(csrf)}<input type="hidden" name="remember" value="off">
<button type="submit" id="remember-off">Forget me when the browser closes</button></form>`;
}

/** One row of "your sessions": what the manager lists, and whether it is this browser's session. */
export interface SessionRow {
  handle: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  current: boolean;
}

const when = (date: Date): SafeHtml =>
  html`<time datetime="${date.toISOString()}">${date.toUTCString()}</time>`;

/** "Your sessions": one row per session of the user (by handle, never by key), and the forms that end them. */
export function sessionsBody(rows: readonly SessionRow[], csrf: string): SafeHtml {
  const row = (session: SessionRow) => html`<tr class="session${session.current ? ' current' : ''}">
<td>${when(session.createdAt)}</td><td>${when(session.lastSeenAt)}</td><td>${when(session.expiresAt)}</td>
<td>${
    session.current
      ? html`<strong>this device</strong>`
      : html`<form class="inline" method="post" action="/sessions/log-out">${token(csrf)}<input type="hidden" name="handle" value="${session.handle}"><button type="submit">log out</button></form>`
  }</td></tr>`;
  return html`<p id="session-count">You are logged in on ${rows.length} device(s).</p>
<table id="sessions"><thead><tr><th>Logged in</th><th>Last seen</th><th>Expires</th><th></th></tr></thead>
<tbody>${rows.map(row)}</tbody></table>
<form method="post" action="/sessions/log-out-others">${token(csrf)}<button type="submit">Log out other devices</button></form>
<p>Each row is a session bound to your name at login (<code>setOwner()</code>). "Log out other devices"
destroys all of them but this one (<code>manager.revokeSessions()</code>): those browsers are anonymous on
their next request.</p>`;
}

/** "Your sessions" on an engine that keeps no owner index. */
export function sessionsUnsupportedBody(engine: string): SafeHtml {
  return html`<p id="sessions-unsupported">This engine (${engine}) cannot list sessions: it keeps no index of
a user's sessions, so this page cannot show or end your other devices. The memory, db and redis engines can.</p>`;
}

/** A refused request. */
export function problemBody(message: string): SafeHtml {
  return html`<p class="error" role="alert">${message}</p><p><a href="/">Home</a></p>`;
}
