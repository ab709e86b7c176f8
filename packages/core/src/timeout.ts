import { isSessionError, SessionStoreError, SessionStoreTimeout } from './errors.js';

function storeFailure(store: string, operation: string, error: unknown): unknown {
  if (isSessionError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new SessionStoreError(`[${store}] ${operation} failed: ${reason}`, { operation, cause: error });
}

/**
 * Runs one store operation with a deadline, and turns driver failures into `SessionStoreError`
 * (keeping the driver's error as `cause`), so adapters can answer before headers are sent.
 */
export function guardStoreCall<T>(
  store: string,
  operation: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T> {
  // One promise settled by whichever comes first, the call or the timer: this runs twice per request, so
  // it avoids the extra promises of an async function around Promise.race.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SessionStoreTimeout(store, operation, timeoutMs)), timeoutMs);
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      clearTimeout(timer);
      reject(storeFailure(store, operation, error));
      return;
    }
    Promise.resolve(pending).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(storeFailure(store, operation, error));
      },
    );
  });
}
