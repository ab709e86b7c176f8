/**
 * Turns session data into text and back. `parse` receives text that has already been authenticated
 * (signed or sealed), but it must still be safe to call on anything and may throw on invalid text.
 */
export interface Serializer {
  /** Short identifier, for messages and diagnostics (`'json'`). */
  readonly name: string;
  /** Serializes a value. Throws a `TypeError` for values the format cannot hold (cycles, `undefined`). */
  stringify(value: unknown): string;
  /** Parses text produced by `stringify` (or by a compatible writer such as Django). Throws on invalid text. */
  parse(text: string): unknown;
}

/** Text that may spell a dangerous key, directly or through a `\u` escape. */
const SUSPICIOUS = /__proto__|constructor|\\u/;

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * Drops the two keys that turn parsed data into a prototype-pollution gadget: `__proto__` (which
 * `Object.assign` and naive merges treat as the prototype setter) and a `constructor` whose value
 * carries a `prototype` (which naive deep merges follow to `Object.prototype`).
 */
function dropDangerousKeys(this: unknown, key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (key === 'constructor' && isObject(value) && Object.hasOwn(value, 'prototype')) return undefined;
  return value;
}

/**
 * Parses JSON like `JSON.parse`, but without the keys that enable prototype pollution.
 * Throws a `SyntaxError` on invalid JSON.
 */
export function parseJsonSafely(text: string): unknown {
  return SUSPICIOUS.test(text) ? JSON.parse(text, dropDangerousKeys) : JSON.parse(text);
}

/**
 * The default serializer: `JSON.stringify` out, and a `JSON.parse` in that drops `__proto__` keys and
 * `constructor` keys holding a `prototype`, so data read back can be spread, assigned or merged safely.
 */
export const jsonSerializer: Serializer = Object.freeze({
  name: 'json',
  stringify(value: unknown): string {
    const text: string | undefined = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`[@sess/core] cannot serialize ${typeof value} as JSON`);
    return text;
  },
  parse: parseJsonSafely,
});
