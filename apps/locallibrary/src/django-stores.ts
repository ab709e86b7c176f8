import { createCookieStore } from '@sess/store-cookie';
import { createDjangoDbStore } from '@sess/store-db';
import { createDjangoFileStore } from '@sess/store-file';
import pg from 'pg';
import { ConfigError, DJANGO_ENGINES, type EngineName } from './config.js';
import { type Env, hostOf, nothingToClose, required } from './engine-env.js';
import type { SessionEngine } from './stores.js';

const COMPAT = 'SESSION_COMPAT=django ';

/**
 * The engine `name` in a Django project's formats (`SESSION_COMPAT=django`), so a Django view and this
 * site share one visitor's session under the `sessionid` cookie: `db` is Django's `django_session` table
 * (`DATABASE_URL`; Django's migrations own it), `file` Django's session files (`SESSION_FILE_PATH`), and
 * `cookie` Django's `signed_cookies` value. All sign with the project's `SECRET_KEY`; `DJANGO_VERSION`
 * (default 5.2) names the Django that shares them.
 */
export async function createDjangoEngine(name: EngineName, env: Env): Promise<SessionEngine> {
  const secretKey = env.SECRET_KEY;
  if (!secretKey) {
    throw new ConfigError(`${COMPAT}needs SECRET_KEY, the Django project's settings.SECRET_KEY`);
  }
  const version = env.DJANGO_VERSION?.trim() || '5.2';
  switch (name) {
    case 'db': {
      const url = required(env, 'DATABASE_URL', name, COMPAT);
      const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 3000 });
      pool.on('error', (error) => console.error('locallibrary: idle PostgreSQL connection lost', error));
      const store = createDjangoDbStore(pool, { secretKey, version });
      return {
        name,
        where: `Django's ${store.tableName} table at ${hostOf(url)}`,
        store,
        clearExpired: () => store.clearExpired(),
        close: () => pool.end(),
      };
    }
    case 'file': {
      const directory = required(env, 'SESSION_FILE_PATH', name, COMPAT);
      const store = createDjangoFileStore({ directory, secretKey, version });
      return {
        name,
        where: `Django's session files in ${store.directory}`,
        store,
        clearExpired: () => store.clearExpired(),
        close: nothingToClose,
      };
    }
    case 'cookie':
      return {
        name,
        where: "the browser, signed in Django's signed_cookies format",
        store: createCookieStore({ mode: 'signed', secretKey, version }),
        close: nothingToClose,
      };
    default:
      throw new ConfigError(`${COMPAT}works with SESSION_STORE=${DJANGO_ENGINES.join(', ')}`);
  }
}
