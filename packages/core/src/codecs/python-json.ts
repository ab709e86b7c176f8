/** Characters that may appear in a Python `ensure_ascii` string as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** One UTF-16 code unit that Python escapes (no `u` flag: surrogate halves are matched one at a time). */
const ESCAPED = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeUnit(unit: string): string {
  return SHORT_ESCAPES[unit] ?? `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A string as Python's `json.dumps` writes it with `ensure_ascii=True`. */
function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : `"${text.replace(ESCAPED, escapeUnit)}"`;
}

/**
 * A finite number as Python writes it. Integers are written as JavaScript prints them. Other numbers
 * use the same shortest round-trip digits as JavaScript, laid out as Python's `repr(float)` does:
 * fixed notation while the decimal exponent is in [-5, 15], otherwise `1e-05` / `1.5e+16` style.
 */
function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const exponent = Number(exponentText);
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${head}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1) || '0';
  return `${sign}${whole}.${fraction}`;
}

/** Applies `toJSON` and unwraps boxed primitives, as `JSON.stringify` does before writing a value. */
function prepare(value: unknown, key: string): unknown {
  let current = value;
  if (typeof current === 'object' && current !== null) {
    const toJSON = (current as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') current = toJSON.call(current, key);
  }
  if (current instanceof Number || current instanceof String || current instanceof Boolean) {
    current = current.valueOf();
  }
  return current;
}

/** Writes one value, or returns `undefined` for what JSON cannot hold (`undefined`, functions, symbols). */
function write(value: unknown, key: string, stack: Set<object>): string | undefined {
  const current = prepare(value, key);
  switch (typeof current) {
    case 'string':
      return quote(current);
    case 'number':
      return Number.isFinite(current) ? formatNumber(current) : 'null';
    case 'boolean':
      return current ? 'true' : 'false';
    case 'bigint':
      return current.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (current === null) return 'null';
  if (stack.has(current)) throw new TypeError('[@sess/core] cannot serialize a circular structure as JSON');
  stack.add(current);
  let text: string;
  if (Array.isArray(current)) {
    const items = current.map((item, index) => write(item, String(index), stack) ?? 'null');
    text = `[${items.join(',')}]`;
  } else {
    const members: string[] = [];
    const record = current as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const member = write(record[name], name, stack);
      if (member !== undefined) members.push(`${quote(name)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  stack.delete(current);
  return text;
}

/**
 * Serializes a value exactly as Python's `json.dumps(value, separators=(',', ':'))` does, which is what
 * Django signs: ASCII only (`\u00eb`, astral characters as lower-case surrogate pairs `\ud83d\ude00`),
 * the short escapes `\" \\ \n \r \t \b \f`, `\u00XX` for other control characters and for DEL (0x7f),
 * `/` unescaped, keys in the object's own order.
 *
 * Where JavaScript and Python values differ, it follows `JSON.stringify`'s model of the value:
 * - A float with an integral value (Python `1.0`) is a plain integer in JavaScript and is written `1`.
 *   Other non-integers get Python's layout of the shortest digits (`1.5`, `1e-07`, `1.5e+16`).
 * - `NaN` and `±Infinity` are written `null`, as `JSON.stringify` does (Python would write `NaN`).
 * - Integer-like keys come first, ascending: that is how JavaScript orders object keys.
 * - `toJSON` is honoured (a `Date` becomes its ISO string); `undefined`, functions and symbols are
 *   skipped in objects and written `null` in arrays; a `bigint` is written as its digits, like a Python int.
 *
 * Throws a `TypeError` on a circular structure or when the value itself cannot be written (`undefined`).
 */
export function pythonJsonDumps(value: unknown): string {
  const text = write(value, '', new Set());
  if (text === undefined) throw new TypeError(`[@sess/core] cannot serialize ${typeof value} as JSON`);
  return text;
}
