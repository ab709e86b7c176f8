import { link, rename } from 'node:fs/promises';
import path from 'node:path';
import {
  isSessionError,
  SessionConfigError,
  type SessionData,
  type SessionDelta,
  type SessionRecord,
  type SessionStore,
  SessionStoreError,
  type SessionUpdate,
} from '@sess/core';
import { type DirectoryPolicy, prepareDirectory, prepareDirectorySync } from './directory.js';
import type { EncodedFile, FileFormat, StoredFile } from './file-format.js';
import {
  errorCode,
  readStoredFile,
  setMtime,
  syncDirectory,
  transientName,
  unlinkQuietly,
  writeNewFile,
} from './file-io.js';
import { KeyQueue } from './key-queue.js';
import { type FileStoreOptions, resolveFileStoreOptions, STORE_NAME } from './options.js';
import { acquireLock, type HeldLock } from './session-lock.js';
import { isDead, sweepDirectory } from './sweep.js';

/** A {@link SessionStore} on the file system, with its layout exposed for operators and tests. */
export interface FileStore extends SessionStore {
  /** The session directory (absolute). */
  readonly directory: string;
  /** The validated `prefix` option. */
  readonly prefix: string;
  /** The format of the files. */
  readonly format: FileFormat;
  /** The path of the file of session `key`, or null for a key the format refuses (it never reaches the disk). */
  pathOf(key: string): string | null;
}

/** Applies a delta per top-level key to freshly decoded data (own keys only, `__proto__` included). */
function applyDelta(data: SessionData, delta: SessionDelta): SessionData {
  for (const name of delta.unset) delete data[name];
  for (const [name, value] of Object.entries(delta.set)) {
    Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return data;
}

function storeError(operation: string, error: unknown): SessionStoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new SessionStoreError(`[${STORE_NAME}] ${operation} failed: ${reason}`, { operation, cause: error });
}

function lostLock(operation: string): SessionStoreError {
  return new SessionStoreError(
    `[${STORE_NAME}] ${operation}: the session lock was broken as stale while this write held it (lockStaleMs); the write was abandoned`,
    { operation },
  );
}

/**
 * A session store with one file per session in a directory: `<directory>/<prefix><key>`. Every write
 * goes to a temp file that is then linked (create) or renamed (update, touch) into place, so readers
 * never see half a session. Updates, touches and deletions take a per-session lock file, so delta
 * updates from several processes never lose each other's keys. For one machine, or several sharing a
 * file system with atomic rename and hard links.
 *
 * @example
 * const store = createFileStore({ directory: '/var/lib/myapp/sessions' });
 */
export function createFileStore(options?: FileStoreOptions): FileStore {
  const settings = resolveFileStoreOptions(options);
  const { directory, prefix, format, clock, fsync, fileMode, lockTimeoutMs, lockStaleMs } = settings;
  const policy: DirectoryPolicy = settings.defaultDirectory ? 'private' : 'owned';
  const problem = prepareDirectorySync(directory, policy);
  if (problem) {
    const expected =
      policy === 'private'
        ? 'a directory private to this user (owned by it, mode 0700); pass `directory` to choose another'
        : 'a directory owned by this user or root and not writable by every user';
    throw new SessionConfigError(STORE_NAME, 'directory', expected, `${directory} ${problem}`);
  }

  const deltaWrites = format.capabilities?.delta ?? true;
  const queue = new KeyQueue();
  const writeOptions = { mode: fileMode, fsync };
  const fileOf = (key: string): string => path.join(directory, prefix + key);
  const transient = (key: string) => (): string => path.join(directory, transientName(prefix + key));

  async function guarded<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw isSessionError(error) ? error : storeError(operation, error);
    }
  }

  /** Runs `body` holding the session's lock; `absent` when the directory (so the session) is gone. */
  function exclusive<T>(
    key: string,
    operation: string,
    absent: T,
    body: (lock: HeldLock) => Promise<T>,
    waitMs = lockTimeoutMs,
  ): Promise<T> {
    const deadline = Date.now() + waitMs;
    return queue.run(key, async () => {
      // Never start a write after its caller stopped waiting: it would land after the manager gave up.
      if (waitMs > 0 && Date.now() > deadline) {
        throw new SessionStoreError(
          `[${STORE_NAME}] ${operation}: waited over lockTimeoutMs behind earlier operations on this session`,
          { operation, code: 'STORE_TIMEOUT' },
        );
      }
      const lock = await acquireLock({
        lockPath: `${fileOf(key)}.lock`,
        transient: transient(key),
        mode: fileMode,
        staleMs: lockStaleMs,
        deadline,
        operation,
      });
      if (!lock) return absent;
      try {
        return await body(lock);
      } finally {
        await lock.release();
      }
    });
  }

  /** The live record of `key` with its file, or null when absent, unreadable or expired. */
  async function readLive(key: string): Promise<{ file: StoredFile; record: SessionRecord } | null> {
    const file = await readStoredFile(fileOf(key));
    const record = file && format.decode(file);
    return file && record && record.expiresAt > clock.now() ? { file, record } : null;
  }

  /** Renames a fully written temp file over the session file, if this process still holds the lock. */
  async function replace(
    key: string,
    operation: string,
    encoded: EncodedFile,
    lock: HeldLock,
  ): Promise<void> {
    const temp = transient(key)();
    await writeNewFile(temp, encoded, writeOptions);
    try {
      if (!(await lock.stillHeld())) throw lostLock(operation);
      await rename(temp, fileOf(key));
    } catch (error) {
      await unlinkQuietly(temp);
      throw error;
    }
    if (fsync) await syncDirectory(directory);
  }

  /** Links a fully written temp file in as the session file: fails atomically when the name is taken. */
  async function createFile(
    key: string,
    encoded: EncodedFile,
    mayRecreateDirectory: boolean,
  ): Promise<boolean> {
    const temp = transient(key)();
    try {
      await writeNewFile(temp, encoded, writeOptions);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || !mayRecreateDirectory) throw error;
      // The directory vanished (a temp-dir cleaner removes old empty directories): make it again.
      const trouble = await prepareDirectory(directory, policy);
      if (trouble)
        throw new SessionStoreError(`[${STORE_NAME}] create: ${directory} ${trouble}`, {
          operation: 'create',
        });
      return createFile(key, encoded, false);
    }
    try {
      await link(temp, fileOf(key));
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
    name: STORE_NAME,
    capabilities: {
      delta: deltaWrites,
      ownerIndex: false,
      nativeExpiry: false,
      expiryResolution: 'ms',
      metadata: format.capabilities?.metadata ?? true,
      sharedKeys: format.capabilities?.sharedKeys ?? false,
    },
    directory,
    prefix,
    format,
    pathOf: (key: string): string | null => (format.isValidKey(key) ? fileOf(key) : null),

    load: (key: string): Promise<SessionRecord | null> =>
      guarded('load', async () => (format.isValidKey(key) ? ((await readLive(key))?.record ?? null) : null)),

    create: (key: string, record: SessionRecord): Promise<boolean> =>
      guarded('create', async () => {
        if (!format.isValidKey(key)) {
          throw new SessionStoreError(
            `[${STORE_NAME}] create: refused a key that the ${format.name} format does not accept as a file name`,
            { operation: 'create' },
          );
        }
        return createFile(key, format.encode(record), true);
      }),

    update: (key: string, update: SessionUpdate): Promise<boolean> =>
      guarded('update', async () => {
        if (!format.isValidKey(key)) return false;
        return exclusive(key, 'update', false, async (lock) => {
          const live = await readLive(key);
          if (!live) return false;
          const data = update.delta && deltaWrites ? applyDelta(live.record.data, update.delta) : update.data;
          await replace(
            key,
            'update',
            format.encode({ data, expiresAt: update.expiresAt, meta: update.meta }),
            lock,
          );
          return true;
        });
      }),

    touch: (key: string, expiresAt: number, lastSeenAt: number): Promise<boolean> =>
      guarded('touch', async () => {
        if (!format.isValidKey(key)) return false;
        return exclusive(key, 'touch', false, async (lock) => {
          const live = await readLive(key);
          if (!live) return false;
          const retimed = format.retime(live.file, live.record, expiresAt, lastSeenAt);
          if (retimed.content !== undefined) {
            await replace(key, 'touch', retimed, lock);
          } else {
            if (!(await lock.stillHeld())) throw lostLock('touch');
            await setMtime(fileOf(key), retimed.mtimeMs);
          }
          return true;
        });
      }),

    destroy: (key: string): Promise<void> =>
      guarded('destroy', async () => {
        if (!format.isValidKey(key)) return;
        await exclusive(key, 'destroy', undefined, async () => {
          await unlinkQuietly(fileOf(key));
          if (fsync) await syncDirectory(directory);
        });
      }),

    clearExpired: (): Promise<number> =>
      guarded('clearExpired', () =>
        sweepDirectory({
          directory,
          prefix,
          format,
          now: () => clock.now(),
          lockStaleMs,
          removeIfDead: (key) =>
            exclusive(
              key,
              'clearExpired',
              false,
              async () => {
                const file = await readStoredFile(fileOf(key));
                if (!file || !isDead(format, file, clock.now())) return false;
                await unlinkQuietly(fileOf(key));
                return true;
              },
              0,
            ).catch((error: unknown) => {
              if (isSessionError(error) && error.code === 'STORE_TIMEOUT') return false;
              throw error;
            }),
        }),
      ),

    async close(): Promise<void> {
      await queue.idle();
    },
  } satisfies FileStore;
}
