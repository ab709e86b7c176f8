import path from 'node:path';
import { SessionStoreError } from '@sess/core';
import type { SessionRecord } from '@sess/core/store';
import { type DirectoryPolicy, prepareDirectory } from './directory.js';
import { linkPath, renamePath } from './fd.js';
import type { EncodedFile, StoredFile } from './file-format.js';
import {
  errorCode,
  readStoredFile,
  setMtime,
  syncDirectory,
  transientName,
  umaskAlters,
  unlinkQuietly,
  writeNewFile,
} from './file-io.js';
import { jsonEnvelopeFormat } from './json-envelope-format.js';
import { KeyQueue } from './key-queue.js';
import { type ResolvedFileStoreOptions, STORE_NAME } from './options.js';
import { acquireLock, type HeldLock } from './session-lock.js';

/** A live record and the file it was read from. */
export interface LiveFile {
  file: StoredFile;
  record: SessionRecord;
}

/**
 * What a store operation may do to the session file while it holds the session's lock. Every change
 * first checks that the lock is still this operation's (it may have been broken as stale meanwhile) and
 * abandons the operation otherwise, so nothing lands between the read and the change.
 */
export interface LockedFile {
  /** The session file as it is, or null when there is none. */
  read(): Promise<StoredFile | null>;
  /** The live record, or null when absent, unreadable or expired. */
  readLive(): Promise<LiveFile | null>;
  /** Writes a temp file and renames it over the session file. */
  replace(encoded: EncodedFile): Promise<void>;
  /** Moves the session file's mtime only (its content stays byte for byte). */
  setMtime(mtimeMs: number): Promise<void>;
  /** Removes the session file. */
  remove(): Promise<void>;
}

/** The session files of one store: their names, their locks, and atomic creates and replacements. */
export interface SessionFiles {
  /** The path of the file of record `id` (which the caller has checked with the format). */
  fileOf(id: string): string;
  /** The live record of `id` with its file, read without a lock (a rename replaces a file whole). */
  readLive(id: string): Promise<LiveFile | null>;
  /** Links a fully written temp file in as the session file: false when the name is taken. */
  create(id: string, encoded: EncodedFile): Promise<boolean>;
  /**
   * Runs `body` holding the session's lock, after every earlier operation on `id` in this process;
   * `absent` when the directory (so the session) is gone. `waitMs` bounds the wait for the lock.
   */
  exclusive<T>(
    id: string,
    operation: string,
    absent: T,
    body: (file: LockedFile) => Promise<T>,
    waitMs?: number,
  ): Promise<T>;
  /** Settles once every operation started so far has settled. */
  idle(): Promise<void>;
}

function lostLock(operation: string): SessionStoreError {
  return new SessionStoreError(
    `[${STORE_NAME}] ${operation}: the session lock was broken as stale while this write held it (lockStaleMs); the write was abandoned`,
    { operation },
  );
}

/** The {@link SessionFiles} of a store with these settings, in a directory that passed `policy`. */
export function sessionFiles(settings: ResolvedFileStoreOptions, policy: DirectoryPolicy): SessionFiles {
  const { directory, prefix, format, clock, fsync, fileMode, lockTimeoutMs, lockStaleMs } = settings;
  const queue = new KeyQueue();
  // The umask may change while the app runs, and the usual ones (022, 077) take group and other bits: a mode
  // with any of those is set on every file. An owner-only mode (the default 0600) is set only when the umask
  // at start-up already took bits off it; no write then pays an fchmod.
  const chmod = (fileMode & 0o077) !== 0 || umaskAlters(directory, prefix, fileMode);
  const writeOptions = { mode: fileMode, fsync, chmod };
  const lockWriteOptions = { ...writeOptions, fsync: false };
  const fileOf = (id: string): string => path.join(directory, prefix + id);
  const transient = (id: string) => (): string => path.join(directory, transientName(prefix + id));

  // The native format keeps its expiry in the content, so it needs no mtime to decode; any other format (a
  // copy of the native one with its own decode included) says so itself.
  const readsMtime = format !== jsonEnvelopeFormat && format.usesMtime !== false;

  async function readLive(id: string): Promise<LiveFile | null> {
    const file = await readStoredFile(fileOf(id), readsMtime);
    const record = file && format.decode(file);
    return file && record && record.expiresAt > clock.now() ? { file, record } : null;
  }

  function locked(id: string, operation: string, lock: HeldLock): LockedFile {
    const target = fileOf(id);
    // Right before each change: the lock's last answer is what its release goes by.
    const stillOurs = async (): Promise<void> => {
      if (!(await lock.stillHeld())) throw lostLock(operation);
    };
    return {
      read: () => readStoredFile(target),
      readLive: () => readLive(id),
      async replace(encoded) {
        const temp = transient(id)();
        await writeNewFile(temp, encoded, writeOptions);
        try {
          await stillOurs();
          await renamePath(temp, target);
        } catch (error) {
          await unlinkQuietly(temp);
          throw error;
        }
        if (fsync) await syncDirectory(directory);
      },
      async setMtime(mtimeMs) {
        await stillOurs();
        await setMtime(target, mtimeMs);
      },
      async remove() {
        await stillOurs();
        await unlinkQuietly(target);
        if (fsync) await syncDirectory(directory);
      },
    };
  }

  async function create(id: string, encoded: EncodedFile, mayRecreateDirectory = true): Promise<boolean> {
    const temp = transient(id)();
    try {
      await writeNewFile(temp, encoded, writeOptions);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || !mayRecreateDirectory) throw error;
      // The directory vanished (a temp-dir cleaner removes old empty directories): make it again.
      const trouble = await prepareDirectory(directory, policy);
      if (trouble) {
        throw new SessionStoreError(`[${STORE_NAME}] create: ${directory} ${trouble}`, {
          operation: 'create',
        });
      }
      return create(id, encoded, false);
    }
    try {
      await linkPath(temp, fileOf(id));
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    } finally {
      await unlinkQuietly(temp);
    }
    if (fsync) await syncDirectory(directory);
    return true;
  }

  return {
    fileOf,
    readLive,
    create: (id, encoded) => create(id, encoded),
    exclusive(id, operation, absent, body, waitMs = lockTimeoutMs) {
      const deadline = Date.now() + waitMs;
      return queue.run(id, async () => {
        // Never start a write after its caller stopped waiting: it would land after the manager gave up.
        if (waitMs > 0 && Date.now() > deadline) {
          throw new SessionStoreError(
            `[${STORE_NAME}] ${operation}: waited over lockTimeoutMs behind earlier operations on this session`,
            { operation, code: 'STORE_TIMEOUT' },
          );
        }
        const lock = await acquireLock({
          lockPath: `${fileOf(id)}.lock`,
          transient: transient(id),
          write: lockWriteOptions,
          staleMs: lockStaleMs,
          deadline,
          operation,
        });
        if (!lock) return absent;
        try {
          return await body(locked(id, operation, lock));
        } finally {
          await lock.release();
        }
      });
    },
    idle: () => queue.idle(),
  };
}
