import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where each kind of server comes from, and how to do without it. */
export const KINDS = {
  postgres: { binaries: ['initdb', 'postgres'], packages: ['postgresql'], envVar: 'DATABASE_URL' },
  redis: { binaries: ['redis-server'], packages: ['redis-server'], envVar: 'REDIS_URL' },
  sentinel: { binaries: ['redis-server'], packages: ['redis-server'], envVar: 'REDIS_SENTINELS' },
  cluster: {
    binaries: ['redis-server', 'redis-cli'],
    packages: ['redis-server', 'redis-tools'],
    envVar: 'REDIS_CLUSTER_NODES',
  },
  memcached: { binaries: ['memcached'], packages: ['memcached'], envVar: 'MEMCACHED_SERVERS' },
} as const;

export type Kind = keyof typeof KINDS;

const PACKAGE_OF: Record<string, string> = {
  initdb: 'postgresql',
  postgres: 'postgresql',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  memcached: 'memcached',
};

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin: the highest major wins. */
function postgresBinDir(): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  majors.sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = `/usr/lib/postgresql/${major}/bin`;
    if (isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres'))) return dir;
  }
  return undefined;
}

const cache = new Map<string, string | undefined>();

/** The absolute path of a server binary, or undefined. */
export function findBinary(name: string): string | undefined {
  if (cache.has(name)) return cache.get(name);
  let found: string | undefined;
  if (name === 'initdb' || name === 'postgres') {
    const dir = postgresBinDir();
    if (dir) found = join(dir, name);
  }
  if (!found) {
    const path = `${process.env.PATH ?? ''}${delimiter}/usr/sbin${delimiter}/sbin`;
    found = path
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, name))
      .find(isExecutable);
  }
  cache.set(name, found);
  return found;
}

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

export class MissingBinariesError extends Error {}

/** The binaries of `kinds` that `lookup` cannot find. */
export function missingBinaries(
  kinds: readonly Kind[],
  lookup: (name: string) => string | undefined = findBinary,
): string[] {
  return [...new Set(kinds.flatMap((kind) => KINDS[kind].binaries))].filter((name) => !lookup(name));
}

/** Names the Debian packages to install and (outside CI) the env vars to set instead. */
export function missingBinariesMessage(
  kinds: readonly Kind[],
  missing: readonly string[],
  ci: boolean,
): string {
  const packages = [...new Set(missing.map((name) => PACKAGE_OF[name] ?? name))];
  const envVars = kinds
    .filter((kind) => KINDS[kind].binaries.some((name) => missing.includes(name)))
    .map((kind) => KINDS[kind].envVar);
  const lines = [
    `sess test harness: ${missing.join(', ')} not found: install the Debian package${packages.length > 1 ? 's' : ''} ${packages.join(' ')}`,
    `  sh packages/test-harness/install-servers.sh   (or: apt-get install -y --no-install-recommends ${packages.join(' ')})`,
  ];
  if (!ci) {
    lines.push(
      `  or point the tests at running servers: set ${[...new Set(envVars)].join(', ')} (packages/test-harness/README.md)`,
    );
  }
  return lines.join('\n');
}

/** Throws one error naming every missing binary, its Debian package and (outside CI) the env var to set. */
export function requireBinaries(kinds: readonly Kind[]): void {
  const missing = missingBinaries(kinds);
  if (missing.length > 0) throw new MissingBinariesError(missingBinariesMessage(kinds, missing, isCI()));
}

/** The path of a binary, or a {@link MissingBinariesError} naming its package. */
export function binary(kind: Kind, name: string): string {
  const found = findBinary(name);
  if (!found) requireBinaries([kind]);
  return found as string;
}
