import type { Session, SessionManager } from '@sess/core';
import { CSRF_FIELD, csrfValid } from './csrf.js';
import type { SafeHtml } from './html.js';
import { layout, problemBody, type SiteInfo } from './pages.js';
import type { LibraryData } from './session-data.js';

/** A request as the views see it, whatever framework received it. */
export interface SiteRequest {
  readonly query: URLSearchParams;
  /** Reads the url-encoded body (throws `HttpError` for a bad one). */
  form(): Promise<URLSearchParams>;
  /** Loads the session: no store I/O until a view calls it. */
  session(): Promise<Session<LibraryData>>;
  /** The adapter's manager (`middleware.manager`): lists and revokes a user's sessions. */
  readonly manager: SessionManager<LibraryData>;
}

/** What a view answers: a page, or a redirect when `location` is set. */
export interface SiteResponse {
  status: number;
  html?: string;
  location?: string;
}

/** A view: the same function behind the Koa app and the Express twin. */
export type View = (request: SiteRequest, info: SiteInfo) => Promise<SiteResponse>;

/** One page of the site. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  view: View;
}

/** A 303 to `location`, the answer to a form that worked. */
export const redirect = (location: string): SiteResponse => ({ status: 303, location });

/** A page in the layout, with the session's one-time message (if a session is given). */
export function render(
  status: number,
  session: Session<LibraryData> | undefined,
  info: SiteInfo,
  title: string,
  body: SafeHtml,
): SiteResponse {
  const flash = session?.pop('flash');
  return { status, html: layout({ title, info, user: session?.get('user'), flash }, body) };
}

/** A page for a request the site refuses (403 for a failed CSRF check, 400 for bad input). */
export function problem(status: number, info: SiteInfo, title: string, message: string): SiteResponse {
  return render(status, undefined, info, title, problemBody(message));
}

/**
 * Reads the form and checks its token against the session's. A POST from another site's page fails here:
 * it cannot read the token, and with SameSite=Lax the browser does not even send the session cookie.
 */
export async function checkedForm(
  request: SiteRequest,
): Promise<{ form: URLSearchParams; session: Session<LibraryData> } | null> {
  const form = await request.form();
  const session = await request.session();
  return csrfValid(session, form.get(CSRF_FIELD)) ? { form, session } : null;
}

/** The 403 page of a failed CSRF check. */
export const csrfFailed = (info: SiteInfo): SiteResponse =>
  problem(
    403,
    info,
    'Forbidden',
    'The form’s security token was missing or wrong (CSRF check failed). Reload the form and try again.',
  );
