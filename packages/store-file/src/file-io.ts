import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import {
  closeFd,
  fchmodFd,
  fstatFd,
  fsyncFd,
  futimesFd,
  openFd,
  readToEnd,
  unlinkPath,
  utimesPath,
  writeAll,
} from './fd.js';
import type { EncodedFile, StoredFile } from './file-format.js';

// O_NOFOLLOW where the platform has it: a session path is never a symlink we made.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// O_NONBLOCK: opening a FIFO planted under a session's name returns at once (it reads as empty, so as no
// session) instead of holding one of libuv's worker threads until some writer opens it. Regular files ignore it.
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
// The largest instant (year 9999) we hand to utimes; later expiries keep the file's own mtime.
const MAX_MTIME_MS = 253_402_300_799_000;

/** The errno code of `error`, if it has one. */
export const errorCode = (error: unknown): string | undefined =>
  (error as NodeJS.ErrnoException | null)?.code;

/** Codes meaning "no such file here": absent, a path component that is not a directory, a symlink. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/** Whether `error` says the file (or its directory) does not exist. */
export const isAbsent = (error: unknown): boolean => ABSENT.has(errorCode(error) ?? '');

/**
 * The name of a transient file (a temp file being written, a lock being taken or broken) beside
 * `base`: `<base>.<time>-<random>.tmp`. The creation time (base 36 ms) in the name lets a sweep tell
 * abandoned ones apart without trusting timestamps a write may have moved.
 */
export function transientName(base: string): string {
  return `${base}.${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.tmp`;
}

const TRANSIENT = /^(.+)\.([0-9a-z]{1,12})-[0-9a-f]{12}\.tmp$/;

/** The base and creation time of a transient file name, or null for any other name. */
export function parseTransientName(name: string): { base: string; createdAt: number } | null {
  const match = TRANSIENT.exec(name);
  if (!match?.[1] || !match[2]) return null;
  return { base: match[1], createdAt: Number.parseInt(match[2], 36) };
}

/** Opens `file` for reading, never through a symlink; null when it does not exist. */
function openToRead(file: string): Promise<number | null> {
  return openFd(file, READ_FLAGS).catch((error: unknown) => {
    if (isAbsent(error)) return null;
    throw error;
  });
}

/** What a read of something that opened but is no regular file fails with: a directory, a FIFO. */
const NOT_A_FILE = new Set(['EISDIR', 'ESPIPE', 'EAGAIN']);

// What a read without the file's size expects: most sessions fit in one read, into a buffer small enough
// for Node's shared pool (a longer file takes more reads).
const UNSIZED_READ_BYTES = 4000;

/**
 * Reads a file, never through a symlink; null when it does not exist or is not a regular file. With
 * `withMtime` (the default) it asks for the file's size and mtime first; without, it reads straight away
 * (one system call fewer) and the mtime is NaN.
 */
export async function readStoredFile(file: string, withMtime = true): Promise<StoredFile | null> {
  const fd = await openToRead(file);
  if (fd === null) return null;
  try {
    if (!withMtime) return { content: await readToEnd(fd, UNSIZED_READ_BYTES), mtimeMs: Number.NaN };
    const stats = await fstatFd(fd);
    if (!stats.isFile()) return null;
    return { content: await readToEnd(fd, stats.size), mtimeMs: stats.mtimeMs };
  } catch (error) {
    // A directory or a FIFO opens for reading and fails at the read: it is no session file.
    if (NOT_A_FILE.has(errorCode(error) ?? '')) return null;
    throw error;
  } finally {
    await closeFd(fd);
  }
}

/**
 * Whether `file` holds exactly `expected` (false when it is absent): an open, one read, a close. The check a
 * lock holder makes that its lock file is still its own.
 */
export async function fileHolds(file: string, expected: Buffer): Promise<boolean> {
  const fd = await openToRead(file);
  if (fd === null) return false;
  try {
    return (await readToEnd(fd, expected.length)).equals(expected);
  } catch (error) {
    if (NOT_A_FILE.has(errorCode(error) ?? '')) return false;
    throw error;
  } finally {
    await closeFd(fd);
  }
}

/** Removes a file; one that is already gone is fine. */
export function unlinkQuietly(file: string): Promise<void> {
  return unlinkPath(file).catch((error: unknown) => {
    if (!isAbsent(error)) throw error;
  });
}

/** What {@link writeNewFile} needs besides the path and content. */
export interface WriteOptions {
  mode: number;
  fsync: boolean;
  /** Whether `mode` must be set after creation because the umask takes bits off it ({@link umaskAlters}). */
  chmod: boolean;
}

/**
 * Whether the process's umask takes bits off `mode` for a file created in `directory`, found once at start-up
 * by creating and removing a probe file there: when it does not, a new file has its mode from `open()` and
 * needs no `fchmod()`. When the probe cannot be made, the answer is yes (setting the mode is always right).
 */
export function umaskAlters(directory: string, base: string, mode: number): boolean {
  const probe = path.join(directory, transientName(base));
  let fd: number;
  try {
    fd = openSync(probe, CREATE_FLAGS, mode);
  } catch {
    return true;
  }
  try {
    return (fstatSync(fd).mode & 0o7777) !== mode;
  } catch {
    return true;
  } finally {
    closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // A probe that cannot be removed stays: its name is no record id, so nothing ever reads it as a session.
    }
  }
}

/**
 * Writes `file` as a new file (fails with EEXIST if the name is taken): exact `mode` whatever the
 * umask, the content, the mtime, and an fsync when asked. A failed write removes what it created.
 */
export async function writeNewFile(file: string, encoded: EncodedFile, options: WriteOptions): Promise<void> {
  const fd = await openFd(file, CREATE_FLAGS, options.mode);
  // A descriptor is closed once only: after a close, even a failed one, its number may belong to another file.
  let open = true;
  try {
    if (options.chmod) await fchmodFd(fd, options.mode);
    const { content } = encoded;
    await writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
    const mtime = encoded.mtimeMs;
    if (Number.isFinite(mtime) && mtime >= 0 && mtime <= MAX_MTIME_MS) {
      // The mtime is a hint for sweeps (never the truth about expiry): a file system that cannot
      // store this instant keeps the write time, which only makes a sweep read the file.
      await futimesFd(fd, Date.now() / 1000, mtime / 1000).catch((error: unknown) => {
        if (!['EINVAL', 'EOVERFLOW'].includes(errorCode(error) ?? '')) throw error;
      });
    }
    if (options.fsync) await fsyncFd(fd);
    open = false;
    await closeFd(fd);
  } catch (error) {
    if (open) await closeFd(fd).catch(() => undefined);
    await unlinkQuietly(file);
    throw error;
  }
}

/** Flushes a directory's entries (after a rename, link or unlink) to disk, where the platform allows it. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; its renames are durable on their own terms.
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** Sets the mtime of `file` (the access time to now), when the instant is one a file system can hold. */
export async function setMtime(file: string, mtimeMs: number): Promise<void> {
  if (!Number.isFinite(mtimeMs) || mtimeMs < 0 || mtimeMs > MAX_MTIME_MS) return;
  await utimesPath(file, Date.now() / 1000, mtimeMs / 1000);
}
