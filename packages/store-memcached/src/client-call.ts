import { SessionStoreError, SessionStoreTimeout } from '@sess/core';
import type { MemcachedCallback } from './memcached-like.js';
import { STORE_NAME } from './options.js';

/** What the client called back with, left for the caller to interpret (NOT_STORED is not a failure for `add`). */
export interface Reply<T> {
  error: unknown;
  result: T;
}

/** A client error as text: the client reports an `Error`, an array of them, or a bare string. */
export function describeClientError(error: unknown): string {
  if (Array.isArray(error)) return error.map(describeClientError).join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The error a failed memcached command becomes: it names the package, the store operation and the command. */
export function commandFailed(operation: string, command: string, cause: unknown): SessionStoreError {
  return new SessionStoreError(
    `[${STORE_NAME}] ${operation} failed: memcached ${command}: ${describeClientError(cause)}`,
    { operation, cause },
  );
}

/**
 * Runs one client command with a deadline. The client may never call back (a frozen server, a socket
 * it dropped with the request in flight), so a missing answer becomes `STORE_TIMEOUT` here rather than
 * a promise that never settles; a late answer after that is ignored.
 */
export function callClient<T>(
  operation: string,
  command: string,
  timeoutMs: number,
  send: (callback: MemcachedCallback<T>) => void,
): Promise<Reply<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SessionStoreTimeout(STORE_NAME, operation, timeoutMs)),
      timeoutMs,
    );
    try {
      send((error, result) => {
        clearTimeout(timer);
        resolve({ error, result });
      });
    } catch (error) {
      clearTimeout(timer);
      reject(commandFailed(operation, command, error));
    }
  });
}
