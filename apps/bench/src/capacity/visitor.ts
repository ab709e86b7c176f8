import type { CommitResult, SessionManager } from '@sess/core';
import type { TestClock } from '@sess/core/testing';

/** The requests sized, in the order one visitor makes them. */
export const REQUEST_KINDS = [
  'new',
  'modifying',
  'unmodified',
  'touch',
  'untouched',
  'login',
  'logout',
] as const;

/** One of {@link REQUEST_KINDS}. */
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** What each request does, for the tables. */
export const REQUEST_KIND_TEXT: Record<RequestKind, string> = {
  new: 'new visitor that writes (`num_visits = 1`)',
  modifying: 'returning, modifying (`num_visits + 1`)',
  unmodified: 'returning, reads only',
  touch: 'returning, reads only, `touchInterval` elapsed',
  untouched: 'returning, route never asks for the session',
  login: 'login: `cycleKey()` + `setOwner()` + passport data',
  logout: 'logout: `flush()`',
};

/** The commit action each request must end in: proof that it did what its name says. */
const EXPECTED_ACTION: Record<RequestKind, CommitResult['action']> = {
  new: 'save',
  modifying: 'save',
  unmodified: 'none',
  touch: 'touch',
  untouched: 'none',
  login: 'save',
  logout: 'delete',
};

/** The owner (user id) of the logged-in session sized at rest: eight digits, as a site with millions of users has. */
export const USER_ID = '10000042';

/**
 * The user the measured visitor logs in as: another than {@link USER_ID}, so the owner index sized at rest
 * holds that one session only (a logout leaves its index entry to expire).
 */
export const VISITOR_USER_ID = '10000041';

/** What a Passport login leaves in the session, plus a CSRF secret and an empty flash list. */
export function loggedInData(user: string = USER_ID): Record<string, unknown> {
  return { passport: { user }, csrf: 'k3Jx9QmZ2vLp8RtY4wNc6HbF1sDg7AeU', flash: [] };
}

/**
 * One browser: it keeps the session cookie between requests and makes each request kind through the
 * manager exactly as an adapter would (open, load when the route asks, commit before headers go).
 */
export class Visitor {
  readonly #manager: SessionManager;
  readonly #clock: TestClock;
  readonly #touchInterval: number;
  #cookie: string | undefined;

  /** `touchInterval` must be the manager's (seconds). */
  constructor(manager: SessionManager, clock: TestClock, touchInterval: number) {
    this.#manager = manager;
    this.#clock = clock;
    this.#touchInterval = touchInterval;
  }

  /** The session key the browser holds, if any. */
  get key(): string | undefined {
    return this.#cookie;
  }

  /** Makes one request of `kind`; throws when its commit did something else than the kind means. */
  async request(kind: RequestKind): Promise<void> {
    const name = this.#manager.options.cookieName;
    if (kind === 'new') this.#cookie = undefined;
    if (kind === 'touch') this.#clock.advance(this.#touchInterval + 1);
    const request = this.#manager.open({
      cookieHeader: this.#cookie === undefined ? undefined : `${name}=${this.#cookie}`,
    });
    if (kind !== 'untouched') {
      const session = await request.load();
      const visits = Number(session.get('num_visits') ?? 0);
      if (kind === 'new' || kind === 'modifying') session.set('num_visits', visits + 1);
      if (kind === 'login') {
        await session.cycleKey();
        await session.setOwner(VISITOR_USER_ID);
        session.update(loggedInData(VISITOR_USER_ID));
      }
      if (kind === 'logout') await session.flush();
    }
    const result = await request.commit(200);
    if (result.action !== EXPECTED_ACTION[kind]) {
      throw new Error(
        `capacity: a ${kind} request ended in '${result.action}', not '${EXPECTED_ACTION[kind]}'`,
      );
    }
    const cookie = result.cookies.find((c) => c.name === name);
    if (cookie) this.#cookie = cookie.value ?? undefined;
  }
}
