import {
  type CookieAttributes,
  formatSetCookie,
  type SameSite,
  serializeSetCookie,
} from '../cookie-header.js';
import type { CookieValue } from '../store/backend-contract.js';
import type { ManagerCore } from './manager-core.js';

/** Cookie attributes one request may override (a tenant's domain, say). */
export interface CookieOverrides {
  domain?: string;
  path?: string;
  secure?: boolean | 'auto';
  sameSite?: SameSite;
  httpOnly?: boolean;
}

/** One cookie the response must carry, with its attributes. `value: null` deletes it. */
export interface CookieDirective {
  name: string;
  value: string | null;
  attributes: CookieAttributes;
}

/** What the commit did. */
export type CommitAction = 'none' | 'save' | 'touch' | 'rotate' | 'delete' | 'skipped-5xx' | 'read-only';

/** What the commit decided, for the adapter to apply before headers go out (`applyCommit` does it). */
export interface CommitResult {
  /** `Set-Cookie` header values, serialized once from {@link cookies}. */
  readonly setCookie: string[];
  /**
   * With the manager's `tokenHeader` option: response headers to set instead of `Set-Cookie` (the key, or
   * an empty value when the client must drop it). Absent with cookies.
   */
  readonly headers?: readonly [name: string, value: string][];
  /** Whether to add `Cookie` (or {@link varyHeader}) to `Vary`. */
  readonly vary: boolean;
  /** With `tokenHeader`: the request header `vary` stands for, instead of `Cookie`. */
  readonly varyHeader?: string;
  /** What happened, for logs and tests. */
  readonly action: CommitAction;
  /** The cookies, structured. */
  readonly cookies: readonly CookieDirective[];
}

const NO_COOKIES: readonly CookieDirective[] = Object.freeze([]);

class Outcome implements CommitResult {
  readonly setCookie: string[];
  readonly vary: boolean;
  readonly action: CommitAction;
  declare readonly headers?: [string, string][];
  declare readonly varyHeader?: string;
  readonly #cookies: readonly CookieDirective[];

  constructor(
    core: ManagerCore,
    action: CommitAction,
    vary: boolean,
    cookies: readonly CookieDirective[],
    checked = false,
  ) {
    this.vary = vary;
    this.action = action;
    this.#cookies = cookies;
    const token = core.tokenHeader;
    if (!token) {
      // The manager's own name and attributes were checked when it was built; overrides are checked here.
      this.setCookie = cookies.map((c) =>
        checked && c.name === core.cookieName
          ? formatSetCookie(c.name, c.value, c.attributes)
          : serializeSetCookie(c.name, c.value, c.attributes),
      );
      return;
    }
    // A server-side backend's only cookie is the key: with `tokenHeader` it goes out as a header instead.
    this.setCookie = [];
    const self = this as { headers?: [string, string][]; varyHeader?: string };
    self.headers = cookies.map((c): [string, string] => [token.response, c.value ?? '']);
    self.varyHeader = token.request;
  }

  get cookies(): readonly CookieDirective[] {
    return this.#cookies;
  }
}

/** A result that sets no cookie. */
export function outcome(core: ManagerCore, action: CommitAction, vary: boolean): CommitResult {
  return new Outcome(core, action, vary, NO_COOKIES);
}

/**
 * The result carrying `cookies` with the session cookie's attributes (`maxAge` seconds, null for a
 * browser-session cookie; `now` the instant `Expires` counts from).
 */
export function cookieOutcome(
  core: ManagerCore,
  request: { secure?: boolean | undefined; cookie?: CookieOverrides | undefined },
  action: CommitAction,
  vary: boolean,
  cookies: readonly CookieValue[],
  lifetime: { maxAge: number | null; now: number },
): CommitResult {
  const settings = core.cookie;
  const override = request.cookie;
  const setting = override?.secure ?? settings.secure;
  const secure = setting === 'auto' ? request.secure === true : setting;
  const sameSite = override?.sameSite ?? settings.sameSite;
  const attributes: CookieAttributes = {
    domain: override?.domain ?? settings.domain,
    path: override?.path ?? settings.path,
    secure,
    httpOnly: override?.httpOnly ?? settings.httpOnly,
    // Browsers drop a SameSite=None cookie without Secure: on plain HTTP ('auto' resolving to false) it
    // goes out as Lax, which they keep.
    sameSite: sameSite === 'None' && !secure ? 'Lax' : sameSite,
    partitioned: settings.partitioned,
    priority: settings.priority,
    maxAge: lifetime.maxAge,
    expires: lifetime.maxAge === null ? null : lifetime.now + lifetime.maxAge * 1000,
  };
  const directives = cookies.map((cookie) => ({ name: cookie.name, value: cookie.value, attributes }));
  return new Outcome(core, action, vary, directives, override === undefined);
}
