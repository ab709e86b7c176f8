import type { RecordMeta, SessionData, SessionRecord } from './contract.js';
import { canonicalMeta } from './record-change.js';

/**
 * sess's JSON envelope, version 1: one record as one JSON text, for engines that store a record as one
 * value (a file, a memcached item):
 *
 * `{"v":1,"expiresAt":<ms>,"meta":{"createdAt":…,"lastSeenAt":…,…},"data":{…}}`
 *
 * The data comes last and its JSON text is kept as it is, so a touch rewrites the head (expiry and
 * metadata) while the data bytes stay identical.
 */
export const ENVELOPE_VERSION = 1;

const DATA_MARK = ',"data":';

/** A decoded envelope: the record, and the exact JSON text of its data. */
export interface DecodedEnvelope {
  record: SessionRecord;
  /** The data part of the envelope, byte for byte, for a rewrite that must not change it. */
  dataJson: string;
}

/** The JSON text of session data; throws when the data is not a plain JSON object. */
export function envelopeDataJson(data: SessionData): string {
  const json = typeof data === 'object' && data !== null && !Array.isArray(data) && JSON.stringify(data);
  if (typeof json !== 'string') throw new TypeError('session data must be a plain JSON object');
  return json;
}

/**
 * The envelope's text up to its data: what `JSON.stringify` makes of `{v, expiresAt, meta}` (without the
 * closing brace), spelled out field by field. `meta` must be canonical (see `canonicalMeta`): its numbers
 * finite, so each prints as JSON prints it, and its fields in that function's order.
 */
function headText(expiresAt: number, meta: RecordMeta): string {
  let text = `{"v":${ENVELOPE_VERSION},"expiresAt":${expiresAt},"meta":{"createdAt":${meta.createdAt},"lastSeenAt":${meta.lastSeenAt}`;
  if (meta.owner !== undefined) text += `,"owner":${JSON.stringify(meta.owner)}`;
  if (meta.previous !== undefined) text += `,"previous":${JSON.stringify(meta.previous)}`;
  if (meta.next !== undefined) text += `,"next":${JSON.stringify(meta.next)}`;
  if (meta.deadline !== undefined) text += `,"deadline":${meta.deadline}`;
  if (meta.lifetime !== undefined) text += `,"lifetime":${meta.lifetime}`;
  return `${text}}`;
}

function head(expiresAt: number, meta: RecordMeta): string {
  if (!Number.isFinite(expiresAt)) {
    throw new RangeError(`expiresAt must be a finite number of ms, got ${expiresAt}`);
  }
  const clean = canonicalMeta(meta);
  if (!clean) {
    throw new TypeError(
      'meta must hold finite times (createdAt, lastSeenAt, deadline, lifetime) and string ids',
    );
  }
  return headText(expiresAt, clean);
}

/** The envelope of a record whose data is already JSON text (kept byte for byte). */
export function encodeEnvelopeText(expiresAt: number, meta: RecordMeta, dataJson: string): string {
  return `${head(expiresAt, meta)}${DATA_MARK}${dataJson}}`;
}

/** The envelope of a record. */
export function encodeEnvelope(record: SessionRecord): string {
  return encodeEnvelopeText(record.expiresAt, record.meta, envelopeDataJson(record.data));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The record in an envelope, or null for anything this version did not write (a foreign, damaged or
 * torn value is treated as absent, never as an error).
 */
export function decodeEnvelope(text: string): DecodedEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed) || parsed.v !== ENVELOPE_VERSION) return null;
  const { expiresAt, data } = parsed;
  const meta = canonicalMeta(parsed.meta);
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || !meta || !isObject(data)) return null;
  // The data text is found after the canonical head, so a value laid out any other way is refused.
  const prefix = `${headText(expiresAt, meta)}${DATA_MARK}`;
  if (!text.startsWith(prefix) || !text.endsWith('}')) return null;
  return { record: { data, expiresAt, meta }, dataJson: text.slice(prefix.length, -1) };
}
