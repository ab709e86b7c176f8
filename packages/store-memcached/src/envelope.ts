import type { RecordMeta, SessionData, SessionRecord } from '@sess/core';

/**
 * One session is one memcached value: the JSON envelope `{"v":1,"exp":…,"meta":{…},"data":…}`, data
 * last. `exp` (ms since the epoch) is the authoritative expiry, because memcached never reports an
 * item's remaining lifetime. Because data comes last and its JSON text is kept as is, a touch can rewrite
 * `exp` and `meta` while the data bytes stay identical.
 */
export const ENVELOPE_VERSION = 1;

const DATA_FIELD = ',"data":';

/** A decoded envelope: the record, plus the exact JSON text of its data. */
export interface DecodedEnvelope {
  record: SessionRecord;
  dataJson: string;
}

/** Only the fields of the contract, in a fixed order, so the head of an envelope is canonical. */
function canonicalMeta(meta: RecordMeta): RecordMeta {
  const clean: RecordMeta = { createdAt: meta.createdAt, lastSeenAt: meta.lastSeenAt };
  if (meta.owner !== undefined) clean.owner = meta.owner;
  if (meta.deadline !== undefined) clean.deadline = meta.deadline;
  return clean;
}

function head(expiresAt: number, meta: RecordMeta): string {
  const json = JSON.stringify({ v: ENVELOPE_VERSION, exp: expiresAt, meta: canonicalMeta(meta) });
  return json.slice(0, -1);
}

/** The envelope of a record whose data is already JSON text. */
export function encodeEnvelope(expiresAt: number, meta: RecordMeta, dataJson: string): string {
  return `${head(expiresAt, meta)}${DATA_FIELD}${dataJson}}`;
}

/** The JSON text of session data. */
export function dataToJson(data: SessionData): string {
  return JSON.stringify(data);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isInstant = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readMeta(value: unknown): RecordMeta | null {
  if (!isObject(value) || !isInstant(value.createdAt) || !isInstant(value.lastSeenAt)) return null;
  const meta: RecordMeta = { createdAt: value.createdAt, lastSeenAt: value.lastSeenAt };
  if (value.owner !== undefined) {
    if (typeof value.owner !== 'string') return null;
    meta.owner = value.owner;
  }
  if (value.deadline !== undefined) {
    if (!isInstant(value.deadline)) return null;
    meta.deadline = value.deadline;
  }
  return meta;
}

/**
 * The record in a stored value, or null for anything that is not an envelope this version wrote (a
 * foreign or damaged value is treated as absent, like an unknown key, never as an error).
 */
export function decodeEnvelope(value: unknown): DecodedEnvelope | null {
  if (typeof value !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (!isObject(parsed) || parsed.v !== ENVELOPE_VERSION || !isInstant(parsed.exp)) return null;
  const meta = readMeta(parsed.meta);
  if (!meta || !isObject(parsed.data)) return null;
  // The data text is located by the canonical head, so anything not written by encodeEnvelope is refused.
  const prefix = `${head(parsed.exp, meta)}${DATA_FIELD}`;
  if (!value.startsWith(prefix) || !value.endsWith('}')) return null;
  return {
    record: { data: parsed.data as SessionData, expiresAt: parsed.exp, meta },
    dataJson: value.slice(prefix.length, -1),
  };
}
