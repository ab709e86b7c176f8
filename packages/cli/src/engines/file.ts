import { opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Clock, SessionStoreError } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import type { FileFormat } from '@sess/store-file';
import type { ResolvedConfig } from '../config.js';
import { importOptional } from '../driver.js';
import { UsageError } from '../errors.js';

/** An opened file engine and what `clearsessions` needs of it. */
export interface FileEngine {
  store: SessionStore;
  /** `directory /var/lib/app/sessions (prefix sess_)`. */
  where: string;
  /** How many session files the sweep would remove now: expired ones, and ones that hold no readable session. */
  countExpired(now: number): Promise<number>;
  /** The store's sweep. */
  clearExpired(): Promise<number>;
  close(): Promise<void>;
}

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Whether the session file `file` is one the store's sweep removes at `now` (expired or unreadable). */
async function isDead(file: string, format: FileFormat, now: number): Promise<boolean> {
  let content: Buffer;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
    if (format.liveByMtime?.(mtimeMs, now)) return false;
    content = await readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
  const record = format.decode({ content, mtimeMs });
  return record === null || record.expiresAt <= now;
}

/**
 * Opens the file store on an existing directory (an operator's typo must not create a new empty one,
 * as the store would). `clock` is the store's "now", pinned by `clearsessions`.
 */
export async function openFile(config: ResolvedConfig, clock: Clock): Promise<FileEngine> {
  const { createFileStore, defaultDirectory } = await importOptional(
    () => import('@sess/store-file'),
    '@sess/store-file',
    'file',
    'npm install @sess/store-file',
  );
  const directory = config.directory ?? defaultDirectory();
  try {
    if (!(await stat(directory)).isDirectory()) throw new UsageError(`${directory} is not a directory`);
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw new UsageError(`the session directory ${directory} does not exist`);
    throw error;
  }
  const store = createFileStore({
    directory,
    clock,
    ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
  });
  const { prefix, format } = store;

  return {
    store,
    where: `directory ${store.directory} (prefix ${prefix === '' ? "''" : prefix})`,
    async countExpired(now: number): Promise<number> {
      try {
        let count = 0;
        for await (const entry of await opendir(store.directory)) {
          if (entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
          if (!format.isRecordId(entry.name.slice(prefix.length))) continue;
          if (await isDead(path.join(store.directory, entry.name), format, now)) count++;
        }
        return count;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new SessionStoreError(`[${store.name}] counting expired sessions failed: ${reason}`, {
          operation: 'countExpired',
          cause: error,
        });
      }
    },
    clearExpired: () => store.clearExpired(),
    close: async () => {
      await store.close?.();
    },
  };
}
