import type { RecordMeta, SessionData, SessionRecord } from '@sess/core';

/**
 * The fields of one session hash. Data keys live under `d:<name>` (value: the JSON of that value), so
 * a delta writes or removes exactly the fields of the keys that changed; metadata lives in short
 * fields that can never collide with them.
 */
export const FIELD = {
  dataPrefix: 'd:',
  createdAt: '_c',
  lastSeenAt: '_s',
  owner: '_o',
  deadline: '_d',
  expiresAt: '_e',
} as const;

/** The meta fields read by the owner index, in this order. */
export const META_FIELDS = [
  FIELD.createdAt,
  FIELD.lastSeenAt,
  FIELD.owner,
  FIELD.deadline,
  FIELD.expiresAt,
] as const;

/** The hash field of the data key `name`. */
export const dataField = (name: string): string => `${FIELD.dataPrefix}${name}`;

/**
 * The JSON of one data value, or undefined for a value JSON drops (`undefined`, functions, symbols),
 * so a stored session reads back exactly as `JSON.parse(JSON.stringify(data))` would.
 */
export function encodeValue(value: unknown): string | undefined {
  return JSON.stringify(value);
}

/** Field/value pairs of the data. */
export function dataPairs(data: SessionData): string[] {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const json = encodeValue(value);
    if (json !== undefined) pairs.push(dataField(name), json);
  }
  return pairs;
}

/** Field/value pairs of the metadata and expiry; optional fields that are absent are listed in `absent`. */
export function metaPairs(meta: RecordMeta, expiresAt: number): { pairs: string[]; absent: string[] } {
  const pairs = [
    FIELD.createdAt,
    String(meta.createdAt),
    FIELD.lastSeenAt,
    String(meta.lastSeenAt),
    FIELD.expiresAt,
    String(expiresAt),
  ];
  const absent: string[] = [];
  if (meta.owner === undefined) absent.push(FIELD.owner);
  else pairs.push(FIELD.owner, meta.owner);
  if (meta.deadline === undefined) absent.push(FIELD.deadline);
  else pairs.push(FIELD.deadline, String(meta.deadline));
  return { pairs, absent };
}

const toNumber = (value: string | null | undefined): number | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};

/**
 * The metadata and expiry from the meta fields, or null when a required one is missing or malformed
 * (not a hash this store wrote).
 */
export function decodeMeta(
  get: (field: string) => string | null | undefined,
): { meta: RecordMeta; expiresAt: number } | null {
  const createdAt = toNumber(get(FIELD.createdAt));
  const lastSeenAt = toNumber(get(FIELD.lastSeenAt));
  const expiresAt = toNumber(get(FIELD.expiresAt));
  if (createdAt === undefined || lastSeenAt === undefined || expiresAt === undefined) return null;
  const meta: RecordMeta = { createdAt, lastSeenAt };
  const owner = get(FIELD.owner);
  if (owner !== null && owner !== undefined) meta.owner = owner;
  const deadlineText = get(FIELD.deadline);
  if (deadlineText !== null && deadlineText !== undefined) {
    const deadline = toNumber(deadlineText);
    if (deadline === undefined) return null;
    meta.deadline = deadline;
  }
  return { meta, expiresAt };
}

/**
 * The record held in a hash as returned by HGETALL, or null when the hash is empty (absent or expired)
 * or was not written by this store. Like Django, an undecodable record reads as no session.
 */
export function decodeRecord(hash: Record<string, string>): SessionRecord | null {
  const head = decodeMeta((field) => (Object.hasOwn(hash, field) ? hash[field] : undefined));
  if (!head) return null;
  const data: SessionData = {};
  for (const field of Object.keys(hash)) {
    if (!field.startsWith(FIELD.dataPrefix)) continue;
    let value: unknown;
    try {
      value = JSON.parse(hash[field] as string);
    } catch {
      return null;
    }
    const name = field.slice(FIELD.dataPrefix.length);
    // A key named `__proto__` must stay an own data key, as JSON.parse would make it: assignment would set
    // the prototype instead. Any other name is assigned (defineProperty for every key is slower).
    if (name === '__proto__') {
      Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      data[name] = value;
    }
  }
  return { data, expiresAt: head.expiresAt, meta: head.meta };
}
