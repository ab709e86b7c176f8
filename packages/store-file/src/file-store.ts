import { isSessionError, SessionConfigError, SessionStoreError } from '@sess/core';
import {
  applyMetaChange,
  type MetaChange,
  type RecordMeta,
  type SessionData,
  type SessionDelta,
  type SessionRecord,
  type SessionStore,
  type SessionUpdate,
} from '@sess/core/store';
import { type DirectoryPolicy, prepareDirectorySync } from './directory.js';
import type { FileFormat } from './file-format.js';
import { type FileStoreOptions, resolveFileStoreOptions, STORE_NAME } from './options.js';
import { sessionFiles } from './session-files.js';
import { isDead, sweepDirectory } from './sweep.js';

/** A {@link SessionStore} on the file system, with its layout exposed for operators and tests. */
export interface FileStore extends SessionStore {
  /** The session directory (absolute). */
  readonly directory: string;
  /** The validated `prefix` option. */
  readonly prefix: string;
  /** The format of the files. */
  readonly format: FileFormat;
  /** The path of the file of record `id`, or null for an id the format refuses (it never reaches the disk). */
  pathOf(id: string): string | null;
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

async function guarded<T>(operation: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw isSessionError(error) ? error : storeError(operation, error);
  }
}

/** The directory's problem as the `SessionConfigError` of the `directory` option. */
function directoryRefused(directory: string, policy: DirectoryPolicy, problem: string): SessionConfigError {
  const expected =
    policy === 'private'
      ? 'a directory private to this user (owned by it, mode 0700); pass `directory` to choose another'
      : 'a directory owned by this user or root and not writable by every user';
  return new SessionConfigError(STORE_NAME, 'directory', expected, `${directory} ${problem}`);
}

/**
 * A session store with one file per session in a directory: `<directory>/<prefix><id>`. Every write
 * goes to a temp file that is then linked (create) or renamed (update, touch) into place, so readers
 * never see half a session. Updates, touches and deletions take a per-session lock file and apply their
 * change to the file as it is under that lock (core's `applyMetaChange`), so writers in several
 * processes never lose each other's keys, owner binding or expiry. For one machine, or several sharing
 * a file system with atomic rename and hard links.
 *
 * @example
 * const store = createFileStore({ directory: '/var/lib/myapp/sessions' });
 */
export function createFileStore(options?: FileStoreOptions): FileStore {
  const settings = resolveFileStoreOptions(options);
  const { directory, prefix, format, clock, lockStaleMs } = settings;
  const policy: DirectoryPolicy = settings.defaultDirectory ? 'private' : 'owned';
  const problem = prepareDirectorySync(directory, policy);
  if (problem) throw directoryRefused(directory, policy, problem);

  const deltaWrites = format.capabilities?.delta ?? true;
  const files = sessionFiles(settings, policy);

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
    pathOf: (id: string): string | null => (format.isRecordId(id) ? files.fileOf(id) : null),

    load: (id: string): Promise<SessionRecord | null> =>
      guarded('load', async () =>
        format.isRecordId(id) ? ((await files.readLive(id))?.record ?? null) : null,
      ),

    create: (id: string, record: SessionRecord): Promise<boolean> =>
      guarded('create', async () => {
        if (!format.isRecordId(id)) {
          throw new SessionStoreError(
            `[${STORE_NAME}] create: refused an id that the ${format.name} format does not accept as a record id`,
            { operation: 'create' },
          );
        }
        return files.create(id, format.encode(record));
      }),

    update: (id: string, update: SessionUpdate): Promise<boolean> =>
      guarded('update', async () => {
        if (!format.isRecordId(id)) return false;
        return files.exclusive(id, 'update', false, async (file) => {
          const live = await file.readLive();
          if (!live) return false;
          const data = update.delta && deltaWrites ? applyDelta(live.record.data, update.delta) : update.data;
          const head = applyMetaChange(live.record, update.meta);
          await file.replace(format.encode({ data, expiresAt: head.expiresAt, meta: head.meta }));
          return true;
        });
      }),

    touch: (id: string, change: MetaChange): Promise<boolean> =>
      guarded('touch', async () => {
        if (!format.isRecordId(id)) return false;
        return files.exclusive(id, 'touch', false, async (file) => {
          const live = await file.readLive();
          if (!live) return false;
          const retimed = format.retime(live.file, live.record, applyMetaChange(live.record, change));
          if (retimed.content === undefined) await file.setMtime(retimed.mtimeMs);
          else await file.replace(retimed);
          return true;
        });
      }),

    destroy: (id: string): Promise<RecordMeta | null> =>
      guarded('destroy', async () => {
        if (!format.isRecordId(id)) return null;
        return files.exclusive(id, 'destroy', null, async (file) => {
          const stored = await file.read();
          if (!stored) return null;
          const record = format.decode(stored);
          // An expired or unreadable file goes too: it holds no session, and a sweep would remove it.
          await file.remove();
          return record && record.expiresAt > clock.now() ? record.meta : null;
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
          removeIfDead: (id) =>
            files
              .exclusive(
                id,
                'clearExpired',
                false,
                async (file) => {
                  const stored = await file.read();
                  if (!stored || !isDead(format, stored, clock.now())) return false;
                  await file.remove();
                  return true;
                },
                0,
              )
              // A session whose lock is held (or was taken from this sweep) is left for the next sweep.
              .catch((error: unknown) => {
                if (isSessionError(error)) return false;
                throw error;
              }),
        }),
      ),

    async close(): Promise<void> {
      await files.idle();
    },
  } satisfies FileStore;
}
