import { UsageError } from './errors.js';

const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * Imports an optional peer (a driver or an engine package) only when the chosen engine needs it, so an
 * app without `pg` or `ioredis` still runs the file engine. A missing package is a setup mistake
 * (exit status 2) with the install line; any other failure is rethrown.
 */
export async function importOptional<T>(
  load: () => Promise<T>,
  specifier: string,
  engine: string,
  install: string,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && NOT_FOUND.has(code) && String(message).includes(specifier)) {
      throw new UsageError(
        `the ${engine} engine needs the package ${specifier}: install it with \`${install}\``,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Where a URL points, without credentials: `postgres://db.internal:5432/app`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const where = `${parsed.protocol}//${parsed.host}`;
    return parsed.pathname === '/' || parsed.pathname === '' ? where : `${where}${parsed.pathname}`;
  } catch {
    return 'the configured server';
  }
}
