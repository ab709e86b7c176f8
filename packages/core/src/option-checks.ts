import { SessionConfigError } from './errors.js';

const SOURCE = '@sess/core';

/** Throws the `CONFIG_INVALID` error naming `option`, what it should be and what it was. */
export function fail(option: string, expected: string, received: unknown): never {
  throw new SessionConfigError(SOURCE, option, expected, received);
}

/** The boolean option `name`, or `fallback` when it is not given. */
export function bool(options: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'a boolean', value);
  return value;
}

/** One of `allowed`, matched in any case and returned as spelled in `allowed`. */
export function capitalized<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const found = typeof value === 'string' && allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  return found;
}
