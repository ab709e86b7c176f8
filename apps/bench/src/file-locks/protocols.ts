import fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Ways to change one session file, each written with the fewest system calls it can take: the floor's (no
 * lock), the lock protocol `@sess/store-file` uses, and three cheaper lock protocols it could use, each of
 * which gives up something the store promises. `pnpm --dir apps/bench file-locks` times them against each
 * other and against the store itself; the store's reasons for its own protocol are in its README
 * ("Concurrency").
 *
 * Every protocol does what a returning visitor's modifying request does to its file: read it (the load),
 * then write the changed session. The locking ones re-read it under the lock, as a read-modify-write must.
 */
export interface FileProtocol {
  name: string;
  /** Directory entries created, renamed or removed per write. */
  directoryChanges: number;
  /** What the protocol gives up against `@sess/store-file`'s promises; empty for the store's own. */
  givesUp: string;
  /** Sets up a directory (one per protocol); `write` then changes the file of `id` there. */
  open(directory: string): ProtocolWriter;
}

export interface ProtocolWriter {
  /** Writes the first version of a session file. */
  seed(id: string, content: Buffer): Promise<void>;
  /** A returning visitor's modifying request: read the file, then write `next(content read)`. */
  write(id: string, next: (content: Buffer) => Buffer): Promise<void>;
  /** Releases what `open` set up (the per-process owner file of one protocol). */
  close(): Promise<void>;
}

type Callback<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;
const call =
  <A extends unknown[], T = void>(fn: (...args: [...A, Callback<T>]) => void) =>
  (...args: A): Promise<T> =>
    new Promise((resolve, reject) =>
      fn(...args, (error, value) => (error ? reject(error) : resolve(value as T))),
    );

const open = call<[string, number, number?], number>(fs.open);
const close = call<[number]>(fs.close);
const fstat = call<[number], fs.Stats>(fs.fstat);
const lstat = call<[string], fs.Stats>(fs.lstat);
const futimes = call<[number, number, number]>(fs.futimes);
const ftruncate = call<[number, number]>(fs.ftruncate);
const rename = call<[string, string]>(fs.rename);
const link = call<[string, string]>(fs.link);
const symlink = call<[string, string]>(fs.symlink);
const readlink = call<[string], string>(fs.readlink);
const unlink = call<[string]>(fs.unlink);
const writeAt = (fd: number, bytes: Buffer): Promise<number> =>
  new Promise((resolve, reject) =>
    fs.write(fd, bytes, 0, bytes.length, 0, (error, written) => (error ? reject(error) : resolve(written))),
  );
const readAt = (fd: number, buffer: Buffer): Promise<number> =>
  new Promise((resolve, reject) =>
    fs.read(fd, buffer, 0, buffer.length, 0, (error, read) => (error ? reject(error) : resolve(read))),
  );

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
const CREATE = O_WRONLY | O_CREAT | O_EXCL;
const MODE = 0o600;
const HOST = hostname();
const HOUR_S = 3600;

/** Open, size, read, close: how the store reads a session file. */
async function readWhole(file: string): Promise<Buffer> {
  const fd = await open(file, O_RDONLY);
  try {
    const buffer = Buffer.allocUnsafe((await fstat(fd)).size + 1);
    return buffer.subarray(0, await readAt(fd, buffer));
  } finally {
    await close(fd);
  }
}

/** A new file with `content` and an mtime an hour ahead (the store's expiry hint). */
async function writeNew(file: string, content: Buffer): Promise<void> {
  const fd = await open(file, CREATE, MODE);
  try {
    await writeAt(fd, content);
    await futimes(fd, Date.now() / 1000, Date.now() / 1000 + HOUR_S);
  } finally {
    await close(fd);
  }
}

/** Tries `take` until it stops failing with EEXIST (a lock someone holds: wait a turn of the event loop). */
async function until(take: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await take();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

let sequence = 0;
const ownerText = (): string =>
  JSON.stringify({ pid: process.pid, host: HOST, at: Date.now(), token: (sequence++).toString(16) });
const tempOf = (file: string): string => `${file}.${process.pid}-${sequence++}.tmp`;

function writer(
  directory: string,
  write: (file: string, next: (content: Buffer) => Buffer) => Promise<void>,
): ProtocolWriter {
  return {
    seed: (id, content) => writeNew(join(directory, id), content),
    write: (id, next) => write(join(directory, id), next),
    close: async () => {},
  };
}

/** The hand-written floor's file store: read; write a temp file; rename it over the session. */
export const floorProtocol: FileProtocol = {
  name: 'floor: temp file + rename, no lock',
  directoryChanges: 2,
  givesUp: 'every concurrent change but the last (no lock)',
  open: (directory) =>
    writer(directory, async (file, next) => {
      const content = next(await readWhole(file));
      const temp = tempOf(file);
      await writeNew(temp, content);
      await rename(temp, file);
    }),
};

/**
 * `@sess/store-file`'s protocol, call for call as the store made it at 28bb6f7 (the figures in the bench README
 * are of this version): the lock is written whole under a temp name and linked in (so it always names its
 * owner), checked before the rename and before its removal, and each read asks for the file's size first. The
 * store now skips that second look and, for its native format, the size.
 */
export const linkLockProtocol: FileProtocol = {
  name: 'sess protocol: owner file linked in as lock',
  directoryChanges: 6,
  givesUp: '',
  open: (directory) =>
    writer(directory, async (file, next) => {
      await readWhole(file);
      const lock = `${file}.lock`;
      const owner = Buffer.from(ownerText());
      await until(async () => {
        const temp = tempOf(file);
        await writeNew(temp, owner);
        try {
          await link(temp, lock);
        } finally {
          await unlink(temp);
        }
      });
      const content = next(await readWhole(file));
      const temp = tempOf(file);
      await writeNew(temp, content);
      if (!(await readWhole(lock)).equals(owner)) throw new Error('lock lost');
      await rename(temp, file);
      if ((await readWhole(lock)).equals(owner)) await unlink(lock);
    }),
};

/** The lock a symbolic link whose text names the owner: created whole in one call. */
export const symlinkLockProtocol: FileProtocol = {
  name: 'symbolic link as lock',
  directoryChanges: 4,
  givesUp: 'the lock as a plain file: any ordinary write to the lock path follows the link',
  open: (directory) =>
    writer(directory, async (file, next) => {
      await readWhole(file);
      const lock = `${file}.lock`;
      const owner = ownerText();
      await until(() => symlink(owner, lock));
      const content = next(await readWhole(file));
      const temp = tempOf(file);
      await writeNew(temp, content);
      if ((await readlink(lock)) !== owner) throw new Error('lock lost');
      await rename(temp, file);
      if ((await readlink(lock)) === owner) await unlink(lock);
    }),
};

/** The lock a hard link to one owner file per process, made once: no new file per lock. */
export const processLinkLockProtocol: FileProtocol = {
  name: 'hard link to a per-process owner file as lock',
  directoryChanges: 4,
  givesUp:
    'a directory of sessions only (the owner file stays while the process runs) and each lock its own age (all share one file)',
  open(directory) {
    const ownerFile = join(directory, `owner.${process.pid}-${sequence++}`);
    fs.writeFileSync(ownerFile, ownerText(), { mode: MODE, flag: 'wx' });
    const ownerIno = fs.statSync(ownerFile).ino;
    return {
      ...writer(directory, async (file, next) => {
        await readWhole(file);
        const lock = `${file}.lock`;
        await until(() => link(ownerFile, lock));
        const content = next(await readWhole(file));
        const temp = tempOf(file);
        await writeNew(temp, content);
        if ((await lstat(lock)).ino !== ownerIno) throw new Error('lock lost');
        await rename(temp, file);
        if ((await lstat(lock)).ino === ownerIno) await unlink(lock);
      }),
      close: () => unlink(ownerFile),
    };
  },
};

/**
 * The lock file is the write's temp file: created exclusively, it first names its owner, then receives the
 * new session and is renamed over the old one, which releases it.
 */
export const stagingLockProtocol: FileProtocol = {
  name: 'lock file that becomes the new session',
  directoryChanges: 2,
  givesUp:
    "the owner's name while the new session is in the lock: a writer killed then leaves a lock no one may break at once",
  open: (directory) =>
    writer(directory, async (file, next) => {
      await readWhole(file);
      const lock = `${file}.lock`;
      let fd = -1;
      await until(async () => {
        fd = await open(lock, CREATE, MODE);
      });
      try {
        const owner = Buffer.from(ownerText());
        await writeAt(fd, owner);
        const { ino } = await fstat(fd);
        const content = next(await readWhole(file));
        await writeAt(fd, content);
        if (content.length < owner.length) await ftruncate(fd, content.length);
        await futimes(fd, Date.now() / 1000, Date.now() / 1000 + HOUR_S);
        if ((await lstat(lock)).ino !== ino) throw new Error('lock lost');
        await rename(lock, file);
      } finally {
        await close(fd);
      }
    }),
};

export const FILE_PROTOCOLS: readonly FileProtocol[] = [
  floorProtocol,
  linkLockProtocol,
  symlinkLockProtocol,
  processLinkLockProtocol,
  stagingLockProtocol,
];
