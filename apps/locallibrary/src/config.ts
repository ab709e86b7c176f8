/** Which session engine the site runs on (`SESSION_STORE`). */
export type EngineName = 'file' | 'memory' | 'cookie' | 'db' | 'redis' | 'memcached';

/** Which framework serves the pages (`FRAMEWORK`). */
export type FrameworkName = 'koa' | 'express' | 'hono' | 'fastify';

/** Every engine `SESSION_STORE` accepts, the default first. */
export const ENGINES: readonly EngineName[] = ['file', 'memory', 'cookie', 'db', 'redis', 'memcached'];

/** Every framework `FRAMEWORK` accepts, the default first. */
export const FRAMEWORKS: readonly FrameworkName[] = ['koa', 'express', 'hono', 'fastify'];

/** Whose formats the sessions are kept in (`SESSION_COMPAT`): sess's own, or a Django project's. */
export type SessionCompat = 'sess' | 'django';

/** Every value `SESSION_COMPAT` accepts, the default first. */
export const COMPATS: readonly SessionCompat[] = ['sess', 'django'];

/** The engines that can share sessions with Django: its `db`, `file` and `signed_cookies` engines. */
export const DJANGO_ENGINES: readonly EngineName[] = ['db', 'file', 'cookie'];

/** The site's settings, read from the environment by {@link readConfig}. */
export interface SiteConfig {
  /** `PORT`; 0 picks a free port. @default 3000 */
  port: number;
  /** `HOST`, the address to listen on. @default '127.0.0.1' (this machine only: the login is a demo) */
  host: string;
  /** `SESSION_STORE`. @default 'file' */
  engine: EngineName;
  /** `FRAMEWORK`. @default 'koa' */
  framework: FrameworkName;
  /** `SESSION_COMPAT`: `django` reads and writes a Django project's sessions (needs `SECRET_KEY`). @default 'sess' */
  compat: SessionCompat;
  /** The environment the engines read their own settings from (`DATABASE_URL`, `SESSION_SECRET`, …). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A setting that cannot be used; `main` prints its message and exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  const wanted = (value ?? '').trim().toLowerCase();
  if (wanted === '') return allowed[0] as T;
  const found = allowed.find((candidate) => candidate === wanted);
  if (!found) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; received ${JSON.stringify(value)}`);
  }
  return found;
}

function portOf(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535; received ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * Reads `PORT`, `HOST`, `SESSION_STORE`, `FRAMEWORK` and `SESSION_COMPAT` from `env`, with their defaults.
 * With `SESSION_COMPAT=django`, only the engines Django shares are accepted.
 */
export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): SiteConfig {
  const engine = oneOf('SESSION_STORE', env.SESSION_STORE, ENGINES);
  const compat = oneOf('SESSION_COMPAT', env.SESSION_COMPAT, COMPATS);
  if (compat === 'django' && !DJANGO_ENGINES.includes(engine)) {
    throw new ConfigError(
      `SESSION_COMPAT=django works with SESSION_STORE=${DJANGO_ENGINES.join(', ')} (Django's db, file and ` +
        `signed_cookies engines); received ${JSON.stringify(env.SESSION_STORE)}`,
    );
  }
  return {
    port: portOf(env.PORT),
    host: env.HOST?.trim() || '127.0.0.1',
    engine,
    framework: oneOf('FRAMEWORK', env.FRAMEWORK, FRAMEWORKS),
    compat,
    env,
  };
}
