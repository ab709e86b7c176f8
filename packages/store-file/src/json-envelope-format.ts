import type { RecordMeta, SessionData, SessionRecord } from '@sess/core';
import type { EncodedFile, FileFormat, StoredFile } from './file-format.js';

const KEY = /^[a-z0-9]{32}$/;
const DATA_MARK = ',"data":';
// Filesystems store an mtime at most this much later than asked (FAT rounds to 2 s); below, none.
const MTIME_SLACK_MS = 2000;

/** The envelope's header: everything but the data. */
interface Header {
  v: 1;
  expiresAt: number;
  meta: RecordMeta;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * The meta fields of the contract, and nothing else, in a fixed order. Refuses what JSON would turn
 * into `null` (NaN, Infinity): that file could never be read back, so the session would be lost.
 */
function cleanMeta(meta: RecordMeta): RecordMeta {
  const clean: RecordMeta = { createdAt: meta.createdAt, lastSeenAt: meta.lastSeenAt };
  if (meta.owner !== undefined) clean.owner = meta.owner;
  if (meta.deadline !== undefined) clean.deadline = meta.deadline;
  if (!readMeta(clean))
    throw new TypeError('meta must hold finite times (createdAt, lastSeenAt, deadline) and a string owner');
  return clean;
}

function readMeta(value: unknown): RecordMeta | null {
  if (!isObject(value) || !isFiniteNumber(value.createdAt) || !isFiniteNumber(value.lastSeenAt)) return null;
  const meta: RecordMeta = { createdAt: value.createdAt, lastSeenAt: value.lastSeenAt };
  if (value.owner !== undefined) {
    if (typeof value.owner !== 'string') return null;
    meta.owner = value.owner;
  }
  if (value.deadline !== undefined) {
    if (!isFiniteNumber(value.deadline)) return null;
    meta.deadline = value.deadline;
  }
  return meta;
}

function readHeader(value: unknown): Header | null {
  if (!isObject(value) || value.v !== 1 || !isFiniteNumber(value.expiresAt)) return null;
  const meta = readMeta(value.meta);
  return meta && { v: 1, expiresAt: value.expiresAt, meta };
}

/** The envelope text: the header fields first, the data last, so a touch can keep the data bytes. */
function envelope(expiresAt: number, meta: RecordMeta, dataJson: string): string {
  if (!Number.isFinite(expiresAt))
    throw new RangeError(`expiresAt must be a finite number of ms, got ${expiresAt}`);
  const header = JSON.stringify({ v: 1, expiresAt, meta: cleanMeta(meta) });
  return `${header.slice(0, -1)}${DATA_MARK}${dataJson}}`;
}

function dataJson(data: SessionData): string {
  const json = JSON.stringify(data);
  if (!isObject(data) || json === undefined) throw new TypeError('session data must be a plain JSON object');
  return json;
}

/**
 * The exact text of the data part of an envelope we wrote, or null for an envelope in another layout.
 * Inside a JSON string every `"` is escaped, so the first `,"data":` is the envelope's own data key,
 * provided the text before it is a complete header (which rules out a foreign file listing data first).
 */
export function envelopeDataText(text: string): string | null {
  const at = text.indexOf(DATA_MARK);
  if (at < 0 || !text.endsWith('}')) return null;
  try {
    const head = JSON.parse(`${text.slice(0, at)}}`) as unknown;
    if (!readHeader(head) || Object.keys(head as object).length !== 3) return null;
  } catch {
    return null;
  }
  return text.slice(at + DATA_MARK.length, -1);
}

/**
 * sess's native file content, version 1: one JSON object per file,
 * `{"v":1,"expiresAt":<ms>,"meta":{"createdAt":…,"lastSeenAt":…,"owner"?:…,"deadline"?:…},"data":{…}}`.
 * The expiry is exact to the millisecond in the envelope, and the file's mtime is set to the same
 * instant, so a directory listing (and `clearExpired()`) sees live sessions without reading them.
 * A touch rewrites the header and copies the data bytes unchanged.
 */
export const jsonEnvelopeFormat: FileFormat = {
  name: 'json-envelope-v1',

  isValidKey: (key: string): boolean => typeof key === 'string' && KEY.test(key),

  encode(record: SessionRecord): EncodedFile {
    return {
      content: envelope(record.expiresAt, record.meta, dataJson(record.data)),
      mtimeMs: record.expiresAt,
    };
  },

  decode(file: StoredFile): SessionRecord | null {
    let value: unknown;
    try {
      value = JSON.parse(file.content.toString('utf8'));
    } catch {
      return null;
    }
    const header = readHeader(value);
    if (!header || !isObject(value) || !isObject(value.data)) return null;
    return { data: value.data, expiresAt: header.expiresAt, meta: header.meta };
  },

  retime(file: StoredFile, record: SessionRecord, expiresAt: number, lastSeenAt: number): EncodedFile {
    const meta = { ...record.meta, lastSeenAt };
    const kept = envelopeDataText(file.content.toString('utf8')) ?? dataJson(record.data);
    return { content: envelope(expiresAt, meta, kept), mtimeMs: expiresAt };
  },

  liveByMtime: (mtimeMs: number, now: number): boolean => mtimeMs - MTIME_SLACK_MS > now,
};
