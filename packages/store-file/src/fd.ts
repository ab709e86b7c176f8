import fs from 'node:fs';

/**
 * The store's system calls as promises, on Node's callback API. A `FileHandle` (`fs/promises.open`) costs about
 * twice the CPU per open-read-close of these, and `fs/promises`' path calls (`link`, `rename`, `unlink`) cost
 * more than these too (`pnpm --dir apps/bench file-locks`): a store makes a dozen such calls per write, so the
 * difference is much of its own cost.
 */

/** A Node callback that settles a promise: rejects with the error, else resolves with the first result. */
const settle =
  <T>(resolve: (value: T) => void, reject: (error: unknown) => void) =>
  (error: NodeJS.ErrnoException | null, value?: T): void => {
    if (error) reject(error);
    else resolve(value as T);
  };

export const openFd = (path: string, flags: number, mode?: number): Promise<number> =>
  new Promise((resolve, reject) => fs.open(path, flags, mode, settle(resolve, reject)));

export const fstatFd = (fd: number): Promise<fs.Stats> =>
  new Promise((resolve, reject) => fs.fstat(fd, settle(resolve, reject)));

export const closeFd = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.close(fd, settle(resolve, reject)));

export const fchmodFd = (fd: number, mode: number): Promise<void> =>
  new Promise((resolve, reject) => fs.fchmod(fd, mode, settle(resolve, reject)));

export const futimesFd = (fd: number, atime: number, mtime: number): Promise<void> =>
  new Promise((resolve, reject) => fs.futimes(fd, atime, mtime, settle(resolve, reject)));

export const fsyncFd = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.fsync(fd, settle(resolve, reject)));

export const linkPath = (existing: string, created: string): Promise<void> =>
  new Promise((resolve, reject) => fs.link(existing, created, settle(resolve, reject)));

export const renamePath = (from: string, to: string): Promise<void> =>
  new Promise((resolve, reject) => fs.rename(from, to, settle(resolve, reject)));

export const unlinkPath = (path: string): Promise<void> =>
  new Promise((resolve, reject) => fs.unlink(path, settle(resolve, reject)));

export const utimesPath = (path: string, atime: number, mtime: number): Promise<void> =>
  new Promise((resolve, reject) => fs.utimes(path, atime, mtime, settle(resolve, reject)));

// Vectored calls with one buffer: the same system call, and no argument of theirs reads like a path or data
// (tools that watch `node:fs` calls for the paths they touch record strings and buffers among the first two).
const readAt = (fd: number, buffer: Buffer, offset: number): Promise<number> =>
  new Promise((resolve, reject) => fs.readv(fd, [buffer.subarray(offset)], offset, settle(resolve, reject)));

const writeAt = (fd: number, bytes: Uint8Array, offset: number): Promise<number> =>
  new Promise((resolve, reject) => fs.writev(fd, [bytes.subarray(offset)], offset, settle(resolve, reject)));

// The first read and the first write are chained with `then`, not awaited in an async function: on one core,
// every microtask between two system calls costs about a microsecond more, in libuv's worker threads going
// to sleep and waking (`pnpm --dir apps/bench file-locks`), and most files take one call.

/**
 * Reads from the start of `fd` to its end, expecting about `sizeHint` bytes: one read when the hint is right
 * (a short read of a regular file is its end), more when the file is longer than the hint.
 */
export function readToEnd(fd: number, sizeHint: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(sizeHint + 1);
  return readAt(fd, buffer, 0).then((read) =>
    read < buffer.length ? buffer.subarray(0, read) : readRest(fd, buffer, read),
  );
}

async function readRest(fd: number, first: Buffer, length: number): Promise<Buffer> {
  let buffer = first;
  for (;;) {
    if (length === buffer.length) {
      const grown = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(grown);
      buffer = grown;
    }
    const read = await readAt(fd, buffer, length);
    length += read;
    if (length < buffer.length) return buffer.subarray(0, length);
  }
}

/** Writes all of `bytes` at the start of `fd`. */
export function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  if (bytes.length === 0) return Promise.resolve();
  return writeAt(fd, bytes, 0).then((written) =>
    written < bytes.length ? writeRest(fd, bytes, written) : undefined,
  );
}

async function writeRest(fd: number, bytes: Uint8Array, written: number): Promise<void> {
  let done = written;
  while (done < bytes.length) done += await writeAt(fd, bytes, done);
}
