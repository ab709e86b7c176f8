import { randomBytes } from 'node:crypto';
import {
  createSessionManager,
  type Session,
  type SessionManager,
  type SessionManagerOptions,
} from '@sess/core';
import { decodeBase62 } from '@sess/core/codecs';
import { afterAll } from 'vitest';
import { type Django, majorMinor, openDjango } from '../../django-interop/src/index.js';
import { type CookieStoreOptions, createCookieStore } from '../src/index.js';

/** A random SECRET_KEY, as long as Django's `get_random_secret_key()` makes them. */
export const newSecretKey = (): string => `django-insecure-${randomBytes(25).toString('hex')}`;

/** Django's default SESSION_COOKIE_AGE, seconds. */
export const COOKIE_AGE = 1_209_600;

/** The salt of Django's signed_cookies engine. */
export const COOKIE_SALT = 'django.contrib.sessions.backends.signed_cookies';

/** One test file's world: a real Django on its signed_cookies engine, and managers in signed mode. */
export interface DjangoCookieWorld {
  django: Django;
  secretKey: string;
  /** `'3.2'` for Django 3.2: the form the store's `version` option takes. */
  version: string;
  /** A manager over a signed-mode cookie store for the Django in hand, unless the options say otherwise. */
  manager(
    store?: Partial<CookieStoreOptions>,
    manager?: Omit<SessionManagerOptions, 'store'>,
  ): SessionManager;
  /** Another Django with other settings; closed after the file. */
  otherDjango(
    secretKey: string,
    secretKeyFallbacks?: string[],
    settings?: Record<string, unknown>,
  ): Promise<Django>;
}

/** Opens the world of one test file; every Django is closed after the file. */
export async function openDjangoCookieWorld(): Promise<DjangoCookieWorld> {
  const secretKey = newSecretKey();
  const opened: Django[] = [];
  const start = async (key: string, fallbacks: string[] = [], settings: Record<string, unknown> = {}) => {
    const django = await openDjango({
      secretKey: key,
      secretKeyFallbacks: fallbacks,
      engine: 'signed_cookies',
      settings,
    });
    opened.push(django);
    return django;
  };
  afterAll(async () => {
    await Promise.all(opened.map((django) => django.close()));
  });
  const django = await start(secretKey);
  const version = majorMinor(django.version);
  return {
    django,
    secretKey,
    version,
    manager: (store = {}, manager = {}) =>
      createSessionManager({
        store: createCookieStore({ mode: 'signed', secretKey, version, ...store }),
        ...manager,
      }),
    otherDjango: start,
  };
}

/** What one request through the manager did. */
export interface NodeRequest {
  /** The value the response's session cookie carries, null when it was deleted, undefined when none was sent. */
  value: string | null | undefined;
  /** The whole `Set-Cookie` header of the session cookie, when one was sent. */
  setCookie: string | undefined;
  action: string;
}

/**
 * One request through the manager, as an adapter makes it: the `Cookie` header `sessionid=<value>` (when
 * a value is given), the handler, then the commit.
 */
export async function nodeRequest(
  manager: SessionManager,
  value: string | null | undefined,
  handler: (session: Session) => unknown,
): Promise<NodeRequest> {
  const request = manager.open({ cookieHeader: value ? `sessionid=${value}` : undefined });
  await handler(await request.load());
  const result = await request.commit(200);
  const cookie = result.setCookie.find((header) => header.startsWith('sessionid='));
  const sent = cookie?.slice('sessionid='.length, cookie.indexOf(';'));
  return { value: sent === undefined ? undefined : sent || null, setCookie: cookie, action: result.action };
}

/** When a signed cookie value was signed, ms since the epoch (its base62 timestamp). */
export function signedAt(value: string): number {
  const parts = value.split(':');
  return (decodeBase62(parts[parts.length - 2] as string) as number) * 1000;
}
