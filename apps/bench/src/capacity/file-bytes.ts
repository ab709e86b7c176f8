import { stat, statfs } from 'node:fs/promises';
import { systemClock } from '@sess/core';
import { createFileStore } from '@sess/store-file';
import { SESSION_KINDS, type SessionKind, saveSession } from './session-kinds.js';

/** A session at rest in the file engine. */
export interface FileBytes {
  /** The file's length (its JSON envelope), bytes. */
  content: number;
  /** What the file system allocated for it (`st_blocks` × 512): whole blocks. */
  allocated: number;
  /** The file system's block size. */
  blockSize: number;
}

/** Saves each kind of session through a real manager into `directory` and reads its file's size. */
export async function fileBytes(directory: string): Promise<Record<SessionKind, FileBytes>> {
  const store = createFileStore({ directory, clock: systemClock });
  const { bsize } = await statfs(directory);
  const sizes = {} as Record<SessionKind, FileBytes>;
  for (const kind of SESSION_KINDS) {
    const path = store.pathOf(await saveSession(kind, store, systemClock));
    if (!path) throw new Error('capacity: the file engine refused its own record id');
    const { size, blocks } = await stat(path);
    sizes[kind] = { content: size, allocated: blocks * 512, blockSize: bsize };
  }
  return sizes;
}
