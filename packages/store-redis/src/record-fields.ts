import type { RecordMeta, SessionData, SessionRecord } from '@sess/core/store';

/**
 * The fields of one session hash. Data keys live under `d:<name>` (value: the JSON of that value), so
 * a delta writes or removes exactly the fields of the keys that changed; metadata lives in short
 * fields that can never collide with them. The write script (write-script.ts) spells the same names.
 */
export const FIELD = {
  dataPrefix: 'd:',
  createdAt: '_c',
  lastSeenAt: '_s',
  owner: '_o',
  deadline: '_d',
  expiresAt: '_e',
  lifetime: '_l',
  previous: '_p',
  next: '_n',
  /**
   * Not metadata: the score the owner index of `_o` is known to hold for this record (ms). A write whose
   * expiry goes past it first raises the index (see owner-index.ts); never returned by `load`.
   */
  indexed: '_i',
} as const;

/** The meta fields, in this order: what `owners.list` reads and the destroy script returns. */
export const META_FIELDS = [
  FIELD.createdAt,
  FIELD.lastSeenAt,
  FIELD.owner,
  FIELD.deadline,
  FIELD.expiresAt,
  FIELD.lifetime,
  FIELD.previous,
  FIELD.next,
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

/** Field/value pairs of a new record's metadata and expiry (the optional fields only when present). */
export function metaPairs(meta: RecordMeta, expiresAt: number): string[] {
  const pairs = [
    FIELD.createdAt,
    String(meta.createdAt),
    FIELD.lastSeenAt,
    String(meta.lastSeenAt),
    FIELD.expiresAt,
    String(expiresAt),
  ];
  if (meta.owner !== undefined) pairs.push(FIELD.owner, meta.owner);
  if (meta.deadline !== undefined) pairs.push(FIELD.deadline, String(meta.deadline));
  if (meta.lifetime !== undefined) pairs.push(FIELD.lifetime, String(meta.lifetime));
  if (meta.previous !== undefined) pairs.push(FIELD.previous, meta.previous);
  if (meta.next !== undefined) pairs.push(FIELD.next, meta.next);
  return pairs;
}

// RESP3 (ioredis 6) answers a missing field of a script's reply as `false`, RESP2 as null: both are absent.
const present = (value: unknown): value is string => typeof value === 'string';

const toNumber = (value: unknown): number | undefined => {
  if (!present(value) || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};

/**
 * The metadata and expiry from the meta fields, or null when a required one is missing or a field is
 * malformed (not a hash this store wrote).
 */
export function decodeMeta(get: (field: string) => unknown): { meta: RecordMeta; expiresAt: number } | null {
  const createdAt = toNumber(get(FIELD.createdAt));
  const lastSeenAt = toNumber(get(FIELD.lastSeenAt));
  const expiresAt = toNumber(get(FIELD.expiresAt));
  if (createdAt === undefined || lastSeenAt === undefined || expiresAt === undefined) return null;
  const meta: RecordMeta = { createdAt, lastSeenAt };
  const owner = get(FIELD.owner);
  if (present(owner)) meta.owner = owner;
  for (const [name, field] of [
    ['deadline', FIELD.deadline],
    ['lifetime', FIELD.lifetime],
  ] as const) {
    const text = get(field);
    if (!present(text)) continue;
    const number = toNumber(text);
    if (number === undefined) return null;
    meta[name] = number;
  }
  const previous = get(FIELD.previous);
  if (present(previous)) meta.previous = previous;
  const next = get(FIELD.next);
  if (present(next)) meta.next = next;
  return { meta, expiresAt };
}

/** The metadata of a reply listing the {@link META_FIELDS} in order (HMGET, the destroy script). */
export function decodeMetaRow(row: readonly unknown[]): { meta: RecordMeta; expiresAt: number } | null {
  return decodeMeta((field) => row[META_FIELDS.indexOf(field as (typeof META_FIELDS)[number])]);
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
