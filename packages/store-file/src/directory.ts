import { lstatSync, mkdirSync, type Stats, statSync } from 'node:fs';
import { lstat, mkdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * How much a session directory is trusted. `private` (the default directory, inside the shared temp
 * dir): a real directory, not a symlink, owned by this user, no access for group or others.
 * `owned` (a directory the user named): owned by this user or root, not writable by everyone.
 */
export type DirectoryPolicy = 'private' | 'owned';

/** The user the process runs as: the uid on POSIX, undefined on Windows (no uid, no mode bits). */
export const currentUid = (): number | undefined =>
  typeof process.getuid === 'function' ? process.getuid() : undefined;

/** The default session directory: `<os.tmpdir()>/sess-sessions-<uid>` (the user name on Windows). */
export function defaultDirectory(): string {
  const uid = currentUid();
  const who = uid === undefined ? os.userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '_') : String(uid);
  return path.join(os.tmpdir(), `sess-sessions-${who}`);
}

/** The parts of a `Stats` the policy looks at. */
export type DirectoryStats = Pick<Stats, 'uid' | 'mode' | 'isDirectory' | 'isSymbolicLink'>;

/** Why `stats` fails `policy` for the user `uid`, or null when it passes. */
export function directoryProblem(
  stats: DirectoryStats,
  policy: DirectoryPolicy,
  uid: number | undefined,
): string | null {
  if (stats.isSymbolicLink()) return 'is a symbolic link';
  if (!stats.isDirectory()) return 'is not a directory';
  if (uid === undefined) return null;
  const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
  if (policy === 'private') {
    if (stats.uid !== uid) return `is owned by uid ${stats.uid}, not by this process's uid ${uid}`;
    if ((stats.mode & 0o077) !== 0) return `has mode ${mode}: group and others must have no access (0700)`;
    return null;
  }
  if (stats.uid !== uid && stats.uid !== 0)
    return `is owned by uid ${stats.uid}, neither this process's uid ${uid} nor root`;
  if ((stats.mode & 0o002) !== 0) return `has mode ${mode}: writable by every user`;
  return null;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const isCode = (error: unknown, code: string): boolean =>
  (error as NodeJS.ErrnoException | null)?.code === code;

/**
 * Creates `directory` if needed (mode 0700) and checks it against `policy`; returns the problem, or
 * null when the directory is fit. The private default is created without parents, and inspected with
 * `lstat`, so a symlink planted in the temp dir is refused rather than followed.
 */
export function prepareDirectorySync(directory: string, policy: DirectoryPolicy): string | null {
  try {
    mkdirSync(directory, { mode: 0o700, recursive: policy === 'owned' });
  } catch (error) {
    if (!isCode(error, 'EEXIST')) return `could not be created: ${describe(error)}`;
  }
  try {
    const stats = policy === 'private' ? lstatSync(directory) : statSync(directory);
    return directoryProblem(stats, policy, currentUid());
  } catch (error) {
    return `could not be inspected: ${describe(error)}`;
  }
}

/** {@link prepareDirectorySync} without blocking, for re-creating a directory that vanished at run time. */
export async function prepareDirectory(directory: string, policy: DirectoryPolicy): Promise<string | null> {
  try {
    await mkdir(directory, { mode: 0o700, recursive: policy === 'owned' });
  } catch (error) {
    if (!isCode(error, 'EEXIST')) return `could not be created: ${describe(error)}`;
  }
  try {
    const stats = policy === 'private' ? await lstat(directory) : await stat(directory);
    return directoryProblem(stats, policy, currentUid());
  } catch (error) {
    return `could not be inspected: ${describe(error)}`;
  }
}
