import type { DjangoEngine } from './ops.js';

/** How to configure the Django the driver runs. */
export interface DjangoOptions {
  /** `SECRET_KEY`. */
  secretKey: string;
  /** `SECRET_KEY_FALLBACKS` (Django 4.1+; an older Django ignores the setting). @default [] */
  secretKeyFallbacks?: readonly string[];
  /** The PostgreSQL database of `DATABASES['default']`, as a `postgres://` URL. @default no database */
  databaseUrl?: string;
  /** `SESSION_ENGINE`, as the module name under `django.contrib.sessions.backends`. @default 'db' */
  engine?: DjangoEngine;
  /** `SESSION_FILE_PATH`, for the file engine. @default Django's (the system temp dir) */
  sessionFilePath?: string;
  /** Any other Django setting by its Django name (`SESSION_COOKIE_AGE`, `SESSION_SERIALIZER`, ...). */
  settings?: Readonly<Record<string, unknown>>;
  /** The Python that has Django on its path. @default '/usr/bin/python3' */
  python?: string;
  /** How long one batch of ops (and the start-up) may take, in milliseconds. @default 30000 */
  timeoutMs?: number;
}

/** `DATABASES['default']` for a `postgres://user:password@host:port/name` URL, through psycopg2. */
export function databaseSettings(url: string): Record<string, string> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`@sess/django-interop: expected a postgres:// URL, got ${parsed.protocol}`);
  }
  return {
    ENGINE: 'django.db.backends.postgresql',
    NAME: decodeURIComponent(parsed.pathname.slice(1)),
    USER: decodeURIComponent(parsed.username),
    PASSWORD: decodeURIComponent(parsed.password),
    HOST: parsed.hostname,
    PORT: parsed.port || '5432',
  };
}

/** The Django settings the options stand for, by Django's names. */
export function djangoSettings(options: DjangoOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    SECRET_KEY: options.secretKey,
    SECRET_KEY_FALLBACKS: [...(options.secretKeyFallbacks ?? [])],
    SESSION_ENGINE: `django.contrib.sessions.backends.${options.engine ?? 'db'}`,
  };
  if (options.databaseUrl !== undefined) {
    settings.DATABASES = { default: databaseSettings(options.databaseUrl) };
  }
  if (options.sessionFilePath !== undefined) settings.SESSION_FILE_PATH = options.sessionFilePath;
  return { ...settings, ...options.settings };
}
