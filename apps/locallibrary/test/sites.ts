import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, memcachedServers, redisUrl } from '@sess/test-harness';
import type { EngineName, FrameworkName } from '../src/config.js';
import { readConfig } from '../src/config.js';
import { type RunningSite, startSite } from '../src/server.js';

/** A site started for a test, with what its engine needed. */
export interface TestSite {
  site: RunningSite;
  url: string;
  stop(): Promise<void>;
}

/** The environment engine `engine` needs, pointing at the harness's servers or a fresh temp dir. */
async function engineEnv(
  engine: EngineName,
): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const none = async (): Promise<void> => {};
  switch (engine) {
    case 'memory':
      return { env: {}, cleanup: none };
    case 'file': {
      const directory = await mkdtemp(path.join(tmpdir(), 'locallibrary-test-'));
      return {
        env: { SESSION_FILE_PATH: directory },
        cleanup: () => rm(directory, { recursive: true, force: true }),
      };
    }
    case 'cookie':
      return { env: { SESSION_SECRET: randomBytes(32).toString('base64url') }, cleanup: none };
    case 'db': {
      const database = await createTestDatabase('locallibrary');
      return { env: { DATABASE_URL: database.url }, cleanup: () => database.drop() };
    }
    case 'redis':
      return { env: { REDIS_URL: redisUrl() }, cleanup: none };
    case 'memcached':
      return { env: { MEMCACHED_SERVERS: memcachedServers().join(',') }, cleanup: none };
  }
}

/** Starts the site on a free loopback port with `framework` and `engine`. */
export async function startTestSite(
  framework: FrameworkName,
  engine: EngineName,
  extraEnv: Record<string, string> = {},
): Promise<TestSite> {
  const { env, cleanup } = await engineEnv(engine);
  const config = readConfig({ PORT: '0', SESSION_STORE: engine, FRAMEWORK: framework, ...env, ...extraEnv });
  let site: RunningSite;
  try {
    site = await startSite(config);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    site,
    url: site.url,
    async stop() {
      await site.close();
      await cleanup();
    },
  };
}
