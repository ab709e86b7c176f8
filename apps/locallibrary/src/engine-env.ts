import { ConfigError, type EngineName } from './config.js';

/** The environment the engines read their settings from. */
export type Env = Readonly<Record<string, string | undefined>>;

/** For engines whose clients the app does not open. */
export const nothingToClose = async (): Promise<void> => {};

/** The trimmed value of `name`, or a {@link ConfigError} saying the engine needs it. */
export function required(env: Env, name: string, engine: EngineName, compat = ''): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${compat}SESSION_STORE=${engine} needs ${name}`);
  return value;
}

/** Where a URL points, without its credentials. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the configured server';
  }
}
