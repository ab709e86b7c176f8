import { opendir } from 'node:fs/promises';
import path from 'node:path';
import type { FileFormat, StoredFile } from './file-format.js';
import { isAbsent, parseTransientName, readStoredFile, transientName, unlinkQuietly } from './file-io.js';
import { breakLock, inspectLock, isStale } from './session-lock.js';

/** A transient file older than this was abandoned by a crash (a write takes milliseconds). */
export const TRANSIENT_MAX_AGE_MS = 3_600_000;
const PARALLEL = 16;
const LOCK_SUFFIX = '.lock';

/** What a sweep needs from the store. */
export interface SweepTarget {
  directory: string;
  prefix: string;
  format: FileFormat;
  /** The store's clock, for expiry. */
  now(): number;
  lockStaleMs: number;
  /**
   * Removes the session file of `id` under its lock if it is still expired or unreadable; false when
   * the session is live again or busy (its lock held), in which case the sweep leaves it.
   */
  removeIfDead(id: string): Promise<boolean>;
}

/** The record id of `name` when it is one of this store's session files, else null. */
function idOf(target: SweepTarget, name: string): string | null {
  if (!name.startsWith(target.prefix)) return null;
  const id = name.slice(target.prefix.length);
  return target.format.isRecordId(id) ? id : null;
}

/**
 * Whether a sweep may remove `file` at `now`: its record has expired, or the format cannot read it and
 * does not ask to keep it longer (`keepUnreadableUntil`).
 */
export function isDead(format: FileFormat, file: StoredFile, now: number): boolean {
  const record = format.decode(file);
  if (record) return record.expiresAt <= now;
  return !(format.keepUnreadableUntil && format.keepUnreadableUntil(file) > now);
}

async function sweepSession(target: SweepTarget, name: string, id: string): Promise<boolean> {
  const now = target.now();
  const file = await readStoredFile(path.join(target.directory, name));
  if (!file || target.format.liveByMtime?.(file.mtimeMs, now)) return false;
  if (!isDead(target.format, file, now)) return false;
  return target.removeIfDead(id);
}

async function sweepLock(target: SweepTarget, name: string): Promise<void> {
  const lockPath = path.join(target.directory, name);
  const state = await inspectLock(lockPath);
  if (state && isStale(state, target.lockStaleMs)) {
    // The grave is named after the session, so a later sweep recognises it if this one dies midway.
    const base = name.slice(0, -LOCK_SUFFIX.length);
    await breakLock(lockPath, state.raw, path.join(target.directory, transientName(base)));
  }
}

/** One directory entry: 1 when it was an expired session that is now gone, else 0. */
async function sweepEntry(target: SweepTarget, name: string): Promise<number> {
  const id = idOf(target, name);
  if (id !== null) return (await sweepSession(target, name, id)) ? 1 : 0;
  if (name.endsWith(LOCK_SUFFIX) && idOf(target, name.slice(0, -LOCK_SUFFIX.length)) !== null) {
    await sweepLock(target, name);
    return 0;
  }
  const transient = parseTransientName(name);
  if (transient && idOf(target, transient.base) !== null) {
    if (Date.now() - transient.createdAt > TRANSIENT_MAX_AGE_MS) {
      await unlinkQuietly(path.join(target.directory, name));
    }
  }
  return 0;
}

/**
 * Walks the directory once: removes this store's expired (or unreadable) session files, its stale
 * locks and its abandoned transient files, and returns how many sessions it removed. Files of other
 * prefixes are never opened. Sessions whose lock is held are left for the next sweep.
 */
export async function sweepDirectory(target: SweepTarget): Promise<number> {
  let removed = 0;
  let pending: Promise<number>[] = [];
  const settle = async (): Promise<void> => {
    for (const count of await Promise.all(pending)) removed += count;
    pending = [];
  };
  let dir: Awaited<ReturnType<typeof opendir>>;
  try {
    dir = await opendir(target.directory);
  } catch (error) {
    if (isAbsent(error)) return 0;
    throw error;
  }
  for await (const entry of dir) {
    if (entry.isDirectory()) continue;
    pending.push(sweepEntry(target, entry.name));
    if (pending.length >= PARALLEL) await settle();
  }
  await settle();
  return removed;
}
