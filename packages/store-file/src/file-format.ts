import type { RecordHead, SessionRecord } from '@sess/core/store';

/** A session file as a format writes it: the content, and the modification time to give the file. */
export interface EncodedFile {
  content: string | Uint8Array;
  /** The file's mtime, ms since the epoch (the native format stores the expiry instant here). */
  mtimeMs: number;
}

/** A session file as the store read it. */
export interface StoredFile {
  content: Buffer;
  /** The file's mtime, ms since the epoch; NaN when the format said it never reads it (`usesMtime: false`). */
  mtimeMs: number;
}

/**
 * A file after a metadata change: new content and mtime, or only a new mtime (`content` absent) for a
 * format whose expiry lives in the mtime, such as Django's (expiry = mtime + cookie age).
 */
export type RetimedFile = EncodedFile | { content?: undefined; mtimeMs: number };

/**
 * How record ids, records and file content map to each other. The store owns everything around it
 * (naming `<prefix><id>`, locks, temp files, atomic renames, expiry checks, and the rules of a
 * `MetaChange`, applied with core's `applyMetaChange` under the session's lock); the format owns only
 * the bytes. sess ships {@link jsonEnvelopeFormat} (its own) and `djangoFileFormat` (Django's file backend).
 */
export interface FileFormat {
  /** A short name for messages, e.g. `'json-envelope-v1'`. */
  readonly name: string;
  /**
   * Whether `id` is a record id of this format, and so may become part of a file name. Only ids it
   * accepts ever reach the file system, so it must refuse anything but a bounded run of characters that
   * cannot form a path (`/`, `.`, NUL…). The native format takes core's `isRecordId` (a 32-character key
   * or a 40-character hashed id).
   */
  isRecordId(id: string): boolean;
  /** The file for a record. */
  encode(record: SessionRecord): EncodedFile;
  /**
   * The record a file holds, or null when the content is not one of this format's records (empty,
   * torn by a power loss, foreign). Expired records are returned as they are: the store checks expiry.
   */
  decode(file: StoredFile): SessionRecord | null;
  /**
   * The file after a `MetaChange` that leaves the data alone (a touch): `record` is what `decode` made
   * of `file`, `head` its metadata and expiry after the change (the store applied the change's rules).
   * The stored data bytes must stay exactly as they are.
   */
  retime(file: StoredFile, record: SessionRecord, head: RecordHead): RetimedFile;
  /**
   * Optional shortcut for `clearExpired()`: true when a file with this mtime is certainly live at `now`,
   * so the sweep need not read it. Must never answer true for an expired file.
   */
  liveByMtime?(mtimeMs: number, now: number): boolean;
  /**
   * Optional: until when (ms since the epoch) `clearExpired()` leaves a file that `decode` refuses.
   * Without it such a file (torn, foreign) is removed by the next sweep. A format whose files another
   * program writes answers with that program's own rule, so a misconfigured secret never wipes its
   * live sessions (Django keeps a file it cannot verify until its mtime plus the cookie age).
   */
  keepUnreadableUntil?(file: StoredFile): number;
  /**
   * Whether `decode` and `retime` read `StoredFile.mtimeMs`. `false` lets the store read a session for a
   * load or a write without asking the file system for the file's size and times (one system call fewer per
   * read; the mtime is then NaN). Sweeps and destroys always read the mtime. The store knows this of
   * `jsonEnvelopeFormat` itself, so a format made by spreading it and replacing `decode` still gets the mtime.
   * @default true
   */
  readonly usesMtime?: boolean;
  /**
   * What the store declares for this format. `delta: false` makes every update a whole-record write
   * (for files another program rewrites whole, without our locks); `metadata: false` says records
   * keep no owner, deadline, creation time or rotation links.
   * @default { delta: true, metadata: true }
   */
  readonly capabilities?: FormatCapabilities;
}

/** The capabilities a {@link FileFormat} decides. */
export interface FormatCapabilities {
  readonly delta: boolean;
  readonly metadata: boolean;
  /** Another program (Django) finds the files by the raw session key, so keys cannot be hashed at rest. */
  readonly sharedKeys?: boolean;
}

const isOptionalFunction = (value: unknown): boolean => value === undefined || typeof value === 'function';

function isCapabilities(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { delta, metadata, sharedKeys } = value as Record<string, unknown>;
  return (
    typeof delta === 'boolean' &&
    typeof metadata === 'boolean' &&
    (sharedKeys === undefined || typeof sharedKeys === 'boolean')
  );
}

/** Whether `value` has the shape of a {@link FileFormat}. */
export function isFileFormat(value: unknown): value is FileFormat {
  if (typeof value !== 'object' || value === null) return false;
  const format = value as Record<string, unknown>;
  return (
    typeof format.name === 'string' &&
    ['isRecordId', 'encode', 'decode', 'retime'].every((name) => typeof format[name] === 'function') &&
    isOptionalFunction(format.liveByMtime) &&
    isOptionalFunction(format.keepUnreadableUntil) &&
    (format.usesMtime === undefined || typeof format.usesMtime === 'boolean') &&
    isCapabilities(format.capabilities)
  );
}
