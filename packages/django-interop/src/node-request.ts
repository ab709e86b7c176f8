import { randomBytes } from 'node:crypto';

/** What {@link nodeRequest} needs of a session manager (sess's `SessionManager`, typed loosely here). */
export interface ManagerLike<S> {
  open(input: { cookieHeader?: string | undefined }): {
    load(): Promise<S>;
    commit(status: number): Promise<{ setCookie: readonly string[]; action: string }>;
  };
}

/** What one request through the manager did. */
export interface NodeRequest {
  /** The key the response's cookie carries, null when the cookie was deleted, undefined when none was sent. */
  cookieKey: string | null | undefined;
  /** The whole `Set-Cookie` header of the session cookie, when one was sent. */
  setCookie: string | undefined;
  action: string;
}

/** A random SECRET_KEY, as long as Django's `get_random_secret_key()` makes them. */
export const newSecretKey = (): string => `django-insecure-${randomBytes(25).toString('hex')}`;

/**
 * One request through `createSessionManager({ store })`, as an adapter makes it: the `Cookie` header
 * `sessionid=<key>` (when a key is given), the handler, then the commit.
 */
export async function nodeRequest<S>(
  manager: ManagerLike<S>,
  key: string | null,
  handler: (session: S) => unknown,
): Promise<NodeRequest> {
  const request = manager.open({ cookieHeader: key === null ? undefined : `sessionid=${key}` });
  await handler(await request.load());
  const result = await request.commit(200);
  const cookie = result.setCookie.find((header) => header.startsWith('sessionid='));
  const value = cookie?.slice('sessionid='.length, cookie.indexOf(';'));
  return {
    cookieKey: value === undefined ? undefined : value || null,
    setCookie: cookie,
    action: result.action,
  };
}
