import {
  decodeEnvelope,
  encodeEnvelope,
  encodeEnvelopeText,
  envelopeDataJson,
  isRecordId,
  type RecordHead,
  type SessionRecord,
} from '@sess/core/store';
import type { EncodedFile, FileFormat, StoredFile } from './file-format.js';

// Filesystems store an mtime at most this much later than asked (FAT rounds to 2 s); below, none.
const MTIME_SLACK_MS = 2000;

/**
 * sess's native file content: one record per file in core's JSON envelope (`encodeEnvelope` in
 * `@sess/core/store`, the same bytes memcached stores),
 * `{"v":1,"expiresAt":<ms>,"meta":{"createdAt":…,"lastSeenAt":…,"owner"?:…,…},"data":{…}}`.
 * The expiry is exact to the millisecond in the envelope, and the file's mtime is set to the same
 * instant, so a directory listing (and `clearExpired()`) sees live sessions without reading them.
 * A touch rewrites the head and copies the data bytes unchanged. Files are named by record id: a
 * 32-character key, or its 40-character hash when keys are hashed at rest.
 */
export const jsonEnvelopeFormat: FileFormat = {
  name: 'json-envelope-v1',

  isRecordId: (id: string): boolean => isRecordId(id),

  encode: (record: SessionRecord): EncodedFile => ({
    content: encodeEnvelope(record),
    mtimeMs: record.expiresAt,
  }),

  decode: (file: StoredFile): SessionRecord | null =>
    decodeEnvelope(file.content.toString('utf8'))?.record ?? null,

  retime(file: StoredFile, record: SessionRecord, head: RecordHead): EncodedFile {
    const kept = decodeEnvelope(file.content.toString('utf8'))?.dataJson ?? envelopeDataJson(record.data);
    return { content: encodeEnvelopeText(head.expiresAt, head.meta, kept), mtimeMs: head.expiresAt };
  },

  liveByMtime: (mtimeMs: number, now: number): boolean => mtimeMs - MTIME_SLACK_MS > now,
};
