import path from 'node:path';
import { type Clock, systemClock } from '@sess/core';
import {
  declareOptions,
  type OptionSpec,
  type OptionsDeclaration,
  type OptionsInput,
  option,
} from '@sess/core/store';
import { defaultDirectory } from './directory.js';
import { type FileFormat, isFileFormat } from './file-format.js';
import { jsonEnvelopeFormat } from './json-envelope-format.js';

/** The name the store reports in errors and in `store.name`. */
export const STORE_NAME = '@sess/store-file';

/** A millisecond option (`…Ms`) from `min` to `max`. */
function boundedMs(fallback: number, min: number, max: number): OptionSpec<number, false> {
  const spec = option.milliseconds({ default: fallback, min });
  const expected = `a whole number of milliseconds from ${min} to ${max}`;
  return {
    ...spec,
    expected,
    parse: (value, invalid) => {
      const parsed = spec.parse(value, () => invalid(expected));
      return parsed <= max ? parsed : invalid(expected);
    },
  };
}

const PREFIX = /^[A-Za-z0-9_.-]{0,100}$/;

/**
 * How files are written and locked: the options `createFileStore` and `createDjangoFileStore` share.
 */
export const FILE_WRITE_OPTION_SPECS = {
  /**
   * Permission bits of every session file. The owner always reads and writes; the group may be given
   * read or write; other users never get any access (session files hold secrets). Applied exactly,
   * whatever the umask.
   */
  fileMode: option.custom<number>({
    default: 0o600,
    defaultText: '0o600',
    expected: 'permission bits from 0o600 to 0o660 (owner reads and writes, no access for others)',
    check: (value, invalid) =>
      typeof value === 'number' &&
      Number.isInteger(value) &&
      (value & ~0o660) === 0 &&
      (value & 0o600) === 0o600
        ? value
        : invalid(),
  }),
  /**
   * `fsync` each new file before it is renamed into place, and the directory after: a write that
   * returned survives a power loss. Without it a crash can lose the newest writes of the last seconds,
   * but never leaves a half-written session (writes are still a temp file renamed into place).
   */
  fsync: option.boolean({ default: false }),
  /**
   * How long an operation waits for the lock of a session another request or process holds (and for
   * earlier operations on it in this process) before it fails with a `SessionStoreError` (code
   * `STORE_TIMEOUT`). Keep it below the manager's `storeTimeoutMs` (5000), so a waiting write gives up
   * before the manager does and never lands late.
   */
  lockTimeoutMs: boundedMs(3000, 0, 600_000),
  /**
   * A lock older than this is presumed abandoned by a crashed process and broken. A lock whose owner
   * process, on this host, no longer exists is broken at once. Must be far above the time one
   * read-modify-write takes (a read, a write, a rename).
   */
  lockStaleMs: boundedMs(10_000, 100, 3_600_000),
  /** Where "now" comes from for every expiry decision. Give it the same clock as the manager; locks always use real time. */
  clock: option.custom<Clock>({
    default: systemClock,
    defaultText: 'the system clock',
    expected: 'an object with now()',
    check: (value, invalid) =>
      typeof value === 'object' && typeof (value as Clock | null)?.now === 'function'
        ? (value as Clock)
        : invalid(),
  }),
};

/** The type of {@link FILE_WRITE_OPTION_SPECS} by name, so declarations that spread it keep its JSDoc. */
export type FileWriteOptionSpecs = typeof FILE_WRITE_OPTION_SPECS;

const FILE_STORE_OWN_SPECS = {
  /**
   * The directory that holds one file per session. Created (mode `0700`, with missing parents) when
   * absent. The default is private to the user running Node; a directory you name must be owned by that
   * user or by root and must not be writable by everyone. A relative path is resolved against the
   * working directory.
   */
  directory: option.custom<string | undefined>({
    default: undefined,
    defaultText: '`<os.tmpdir()>/sess-sessions-<uid>`',
    expected: 'a non-empty path without NUL characters',
    check: (value, invalid) =>
      typeof value === 'string' && value !== '' && !value.includes('\0') ? value : invalid(),
  }),
  /**
   * Starts every session file name: a session lives in `<directory>/<prefix><id>`. Letters, digits, `_`,
   * `.` and `-` only (at most 100, may be empty), so no prefix can name a path outside the directory. Two
   * stores with different prefixes share a directory without seeing each other's sessions.
   */
  prefix: option.custom<string>({
    default: 'sess_',
    expected: 'at most 100 characters of letters, digits, `_`, `.` and `-`',
    check: (value, invalid) => (typeof value === 'string' && PREFIX.test(value) ? value : invalid()),
  }),
};

const FILE_STORE_FORMAT_SPEC = {
  /**
   * How record ids, records and file content map to each other. The default is sess's own JSON
   * envelope; a format implementing `FileFormat` (such as `djangoFileFormat`) plugs in here.
   */
  format: option.custom<FileFormat>({
    default: jsonEnvelopeFormat,
    defaultText: 'jsonEnvelopeFormat',
    expected: 'a FileFormat (isRecordId, encode, decode and retime)',
    check: (value, invalid) => (isFileFormat(value) ? value : invalid()),
  }),
};

type FileStoreSpecs = typeof FILE_STORE_OWN_SPECS & FileWriteOptionSpecs & typeof FILE_STORE_FORMAT_SPEC;

/** The options of `createFileStore`, declared once. */
export const FILE_STORE_OPTIONS: OptionsDeclaration<FileStoreSpecs> = declareOptions<FileStoreSpecs>(
  STORE_NAME,
  { ...FILE_STORE_OWN_SPECS, ...FILE_WRITE_OPTION_SPECS, ...FILE_STORE_FORMAT_SPEC },
);

/** Options of `createFileStore`. */
export type FileStoreOptions = OptionsInput<typeof FILE_STORE_OPTIONS.specs>;

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

/** Validates the options, naming the offending one, and fills in the defaults. */
export function resolveFileStoreOptions(input: FileStoreOptions | undefined): ResolvedFileStoreOptions {
  const { directory, ...rest } = FILE_STORE_OPTIONS.resolve(input === undefined ? {} : input);
  return {
    ...rest,
    directory: directory === undefined ? defaultDirectory() : path.resolve(directory),
    defaultDirectory: directory === undefined,
  };
}
