import { isSessionError, SessionStoreError, SessionStoreTimeout } from './errors.js';

/**
 * Runs one store operation with a deadline, and turns driver failures into `SessionStoreError`
 * (keeping the driver's error as `cause`), so adapters can answer before headers are sent.
 */
export async function guardStoreCall<T>(
  store: string,
  operation: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SessionStoreTimeout(store, operation, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    if (isSessionError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SessionStoreError(`[${store}] ${operation} failed: ${reason}`, { operation, cause: error });
  } finally {
    clearTimeout(timer);
  }
}
