import path from 'node:path';
import { type Clock, SessionConfigError, systemClock } from '@sess/core';
import { defaultDirectory } from './directory.js';
import { type FileFormat, isFileFormat } from './file-format.js';
import { jsonEnvelopeFormat } from './json-envelope-format.js';

/** The name the store reports in errors and in `store.name`. */
export const STORE_NAME = '@sess/store-file';

/** Options of `createFileStore`. */
export interface FileStoreOptions {
  /**
   * The directory that holds one file per session. Created (mode `0700`, with missing parents) when
   * absent. The default is private to the user running Node; a directory you name must be owned by
   * that user or by root and must not be writable by everyone.
   * @default path.join(os.tmpdir(), `sess-sessions-${uid}`), which must be owned by you and mode `0700`
   */
  directory?: string;
  /**
   * Starts every session file name: a session lives in `<directory>/<prefix><key>`. Letters, digits,
   * `_`, `.` and `-` only (at most 100), so no prefix can name a path outside the directory. Two stores
   * with different prefixes share a directory without seeing each other's sessions.
   * @default 'sess_'
   */
  prefix?: string;
  /**
   * Permission bits of every session file. The owner always reads and writes; the group may be given
   * read or write; other users never get any access (session files hold secrets).
   * @default 0o600
   */
  fileMode?: number;
  /**
   * `fsync` each new file before it is renamed into place, and the directory after: a write that
   * returned survives a power loss. Without it a crash can lose the newest writes of the last seconds,
   * but never leaves a half-written session (writes are still a temp file renamed into place).
   * @default false
   */
  fsync?: boolean;
  /**
   * How long an operation waits for the lock of a session another request or process holds, in ms,
   * before it fails with a `SessionStoreError` (code `STORE_TIMEOUT`). Keep it below the manager's
   * `storeTimeoutMs` (5000), so a waiting write gives up before the manager does and never lands late.
   * @default 3000
   */
  lockTimeoutMs?: number;
  /**
   * A lock older than this (ms) is presumed abandoned by a crashed process and broken. A lock whose
   * owner process, on this host, no longer exists is broken at once. Must be far above the time one
   * read-modify-write takes (a read, a write, a rename).
   * @default 10000
   */
  lockStaleMs?: number;
  /** Where "now" comes from for every expiry decision. Give it the same clock as the manager. @default the system clock */
  clock?: Clock;
  /**
   * How keys, records and file content map to each other. The default is sess's own JSON envelope; a
   * format implementing {@link FileFormat} (such as a Django-compatible one) plugs in here.
   * @default jsonEnvelopeFormat
   */
  format?: FileFormat;
}

/** Options after validation and defaults. */
export interface ResolvedFileStoreOptions {
  directory: string;
  /** Whether `directory` is the default one, which must be private to this user. */
  defaultDirectory: boolean;
  prefix: string;
  fileMode: number;
  fsync: boolean;
  lockTimeoutMs: number;
  lockStaleMs: number;
  clock: Clock;
  format: FileFormat;
}

const KNOWN = [
  'directory',
  'prefix',
  'fileMode',
  'fsync',
  'lockTimeoutMs',
  'lockStaleMs',
  'clock',
  'format',
] as const;

const PREFIX = /^[A-Za-z0-9_.-]{0,100}$/;

function fail(option: string, expected: string, value: unknown): never {
  throw new SessionConfigError(STORE_NAME, option, expected, value);
}

function wholeMs(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(option, `a whole number of milliseconds from ${min} to ${max}`, value);
  }
  return value;
}

/** Validates the options, naming the offending one, and fills in the defaults. */
export function resolveFileStoreOptions(input: FileStoreOptions | undefined): ResolvedFileStoreOptions {
  const given = input === undefined ? {} : input;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    fail('options', 'an object', input);
  const options = given as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(name)) {
      fail(name, `a known option (${KNOWN.join(', ')})`, options[name]);
    }
  }

  const { directory } = options;
  if (
    directory !== undefined &&
    (typeof directory !== 'string' || directory === '' || directory.includes('\0'))
  ) {
    fail('directory', 'a non-empty path without NUL characters', directory);
  }
  const prefix = options.prefix === undefined ? 'sess_' : options.prefix;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    fail('prefix', 'at most 100 characters of letters, digits, `_`, `.` and `-`', prefix);
  }
  const fileMode = options.fileMode === undefined ? 0o600 : options.fileMode;
  if (
    typeof fileMode !== 'number' ||
    !Number.isInteger(fileMode) ||
    (fileMode & ~0o660) !== 0 ||
    (fileMode & 0o600) !== 0o600
  ) {
    fail(
      'fileMode',
      'permission bits from 0o600 to 0o660 (owner reads and writes, no access for others)',
      fileMode,
    );
  }
  const fsync = options.fsync === undefined ? false : options.fsync;
  if (typeof fsync !== 'boolean') fail('fsync', 'a boolean', fsync);
  const lockTimeoutMs = wholeMs('lockTimeoutMs', options.lockTimeoutMs, 3000, 0, 600_000);
  const lockStaleMs = wholeMs('lockStaleMs', options.lockStaleMs, 10_000, 100, 3_600_000);
  const clock = options.clock === undefined ? systemClock : options.clock;
  if (typeof clock !== 'object' || clock === null || typeof (clock as Clock).now !== 'function') {
    fail('clock', 'an object with now()', clock);
  }
  const format = options.format === undefined ? jsonEnvelopeFormat : options.format;
  if (!isFileFormat(format)) fail('format', 'a FileFormat (isValidKey, encode, decode and retime)', format);

  return {
    directory: directory === undefined ? defaultDirectory() : path.resolve(directory),
    defaultDirectory: directory === undefined,
    prefix,
    fileMode,
    fsync,
    lockTimeoutMs,
    lockStaleMs,
    clock: clock as Clock,
    format,
  };
}
