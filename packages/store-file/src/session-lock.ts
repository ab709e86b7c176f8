import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionStoreError } from '@sess/core';
import { linkPath, renamePath } from './fd.js';
import {
  errorCode,
  fileHolds,
  isAbsent,
  readStoredFile,
  unlinkQuietly,
  type WriteOptions,
  writeNewFile,
} from './file-io.js';

const STORE_NAME = '@sess/store-file';
const HOST = hostname();
const MAX_PAUSE_MS = 32;

/** Who holds a lock: written into the lock file, complete before the file appears. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When the lock was taken, ms since the epoch (real time, never an injected clock). */
  at: number;
  token: string;
}

/** A lock file as found on disk. */
export interface LockState {
  raw: Buffer;
  /** Null when the content is not a lock of ours (then only the file's age counts). */
  owner: LockOwner | null;
  mtimeMs: number;
}

/** Where a lock lives and how it is taken. */
export interface LockRequest {
  /** The lock file: `<session file>.lock`. */
  lockPath: string;
  /** A fresh transient path in the same directory, for writing the lock before it is linked in. */
  transient: () => string;
  /** How the lock file is written: the store's `fileMode` (so every writer can read it), never an fsync. */
  write: WriteOptions;
  staleMs: number;
  /** Give up (with `STORE_TIMEOUT`) once a live lock is still held at this instant (real ms). */
  deadline: number;
  /** The store operation, for the error message. */
  operation: string;
}

/** A lock this process holds. */
export interface HeldLock {
  /** Whether the lock file is still ours: false once it was broken as stale and taken by someone else. */
  stillHeld(): Promise<boolean>;
  /**
   * Removes the lock file if it is still ours. A holder asks `stillHeld()` right before its final change, so
   * when that last answer was yes the lock is removed without another look (only that change ran since).
   */
  release(): Promise<void>;
}

function parseOwner(raw: Buffer): LockOwner | null {
  try {
    const value = JSON.parse(raw.toString('utf8')) as Partial<LockOwner> | null;
    const { pid, host, at, token } = value ?? {};
    if (!Number.isInteger(pid) || (pid as number) <= 0 || typeof host !== 'string') return null;
    if (typeof at !== 'number' || !Number.isFinite(at) || typeof token !== 'string') return null;
    return { pid: pid as number, host, at, token };
  } catch {
    return null;
  }
}

function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

/**
 * Whether a lock is abandoned: its owner was a process on this host that no longer exists, or it is
 * older than `staleMs` (a holder crashed on another host, or the content is not a lock of ours).
 */
export function isStale(state: LockState, staleMs: number, now = Date.now()): boolean {
  const { owner } = state;
  if (!owner) return now - state.mtimeMs > staleMs;
  if (owner.host === HOST && !processExists(owner.pid)) return true;
  return now - owner.at > staleMs;
}

/** The lock file at `lockPath`, or null when there is none. */
export async function inspectLock(lockPath: string): Promise<LockState | null> {
  const file = await readStoredFile(lockPath);
  return file && { raw: file.content, owner: parseOwner(file.content), mtimeMs: file.mtimeMs };
}

/**
 * Breaks the stale lock whose content was `judged`. The rename is atomic, so of several breakers only
 * one takes any given lock file; if what it took is not the lock it judged (a live lock replaced the
 * stale one in between), it links that lock back, never over a newer one. A holder whose lock was
 * nevertheless lost finds out through `stillHeld()` before it writes.
 */
export async function breakLock(lockPath: string, judged: Buffer, grave: string): Promise<void> {
  try {
    await renamePath(lockPath, grave);
  } catch (error) {
    if (isAbsent(error)) return;
    throw error;
  }
  try {
    // Read as session files are (no symlink followed, no waiting on a FIFO): what is not the judged lock goes back.
    if (!(await readStoredFile(grave))?.content.equals(judged)) {
      await linkPath(grave, lockPath).catch((error: unknown) => {
        if (errorCode(error) !== 'EEXIST') throw error;
      });
    }
  } finally {
    await unlinkQuietly(grave);
  }
}

async function createLockFile(request: LockRequest, content: Buffer): Promise<boolean> {
  // Written whole under a transient name, then linked in: nobody ever reads a half-written lock, so a lock
  // always names its owner, and one whose owner died is broken at once.
  const temp = request.transient();
  await writeNewFile(temp, { content, mtimeMs: Number.NaN }, request.write);
  try {
    await linkPath(temp, request.lockPath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlinkQuietly(temp);
  }
}

function busy(request: LockRequest, state: LockState | null): SessionStoreError {
  const owner = state?.owner;
  const holder = owner ? ` by pid ${owner.pid} on ${owner.host} for ${Date.now() - owner.at} ms` : '';
  return new SessionStoreError(
    `[${STORE_NAME}] ${request.operation}: the session is locked${holder}; gave up waiting (lockTimeoutMs)`,
    { operation: request.operation, code: 'STORE_TIMEOUT' },
  );
}

/**
 * Takes the lock of one session: an `O_EXCL`-style exclusive link of `<file>.lock` holding the owner's
 * pid, host and time. Waits with growing pauses while a live lock is held, breaks stale ones, and
 * resolves null when the directory is gone (so the session is too).
 */
export async function acquireLock(request: LockRequest): Promise<HeldLock | null> {
  const token = randomBytes(8).toString('hex');
  let pause = 1;
  let retried = false;
  for (;;) {
    // Stamped at each attempt, so a lock won after a long wait is not born old.
    const owner: LockOwner = { pid: process.pid, host: HOST, at: Date.now(), token };
    const content = Buffer.from(JSON.stringify(owner));
    try {
      if (await createLockFile(request, content)) return heldLock(request.lockPath, content);
    } catch (error) {
      if (isAbsent(error)) return null;
      throw error;
    }
    const state = await inspectLock(request.lockPath);
    if (state && isStale(state, request.staleMs)) {
      await breakLock(request.lockPath, state.raw, request.transient());
      continue;
    }
    // The lock went away between the attempt and the look (released, or broken by a sweep): try again at
    // once, even past the deadline. Once per pause, so a lock path that is no file cannot make this spin.
    if (state === null && !retried) {
      retried = true;
      continue;
    }
    const left = request.deadline - Date.now();
    if (left <= 0) throw busy(request, state);
    await sleep(Math.min(pause * (0.5 + Math.random()), left));
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
    retried = false;
  }
}

function heldLock(lockPath: string, content: Buffer): HeldLock {
  let confirmed = false;
  const stillHeld = async (): Promise<boolean> => {
    confirmed = await fileHolds(lockPath, content);
    return confirmed;
  };
  return {
    stillHeld,
    async release() {
      if (confirmed || (await stillHeld())) await unlinkQuietly(lockPath);
    },
  };
}
