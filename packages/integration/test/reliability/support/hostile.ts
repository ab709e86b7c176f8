import fc from 'fast-check';

/** The characters of session keys. */
export const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A well-formed key no server issued. */
export const wellFormedKey = fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 32, maxLength: 32 });

/** Keys a file system or a text protocol could misread: traversal, separators, controls, unicode, sizes. */
export const pathLikeKey = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '../',
    '..\\',
    '/',
    '\\',
    '%2e%2e%2f',
    '%2F',
    '\u0000',
    '\n',
    ' ',
    '~',
    '*',
    '?',
    ':',
    '|',
  ),
  fc
    .array(fc.constantFrom('..', '.', 'x', '', 'etc', 'passwd', '%2e', 'sess_', KEY_CHARS.slice(0, 32)), {
      minLength: 1,
      maxLength: 6,
    })
    .chain((parts) => fc.constantFrom('/', '\\', '/./', '//').map((sep) => parts.join(sep))),
  fc.string({ unit: fc.constantFrom(...`${KEY_CHARS}ABC./\\%\u0000 é`), maxLength: 64 }),
  fc.nat(20_000).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** One edit of a valid key: a flipped bit, a cut, an extension, a changed case or a wrapping. */
export function editedKey(key: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(fc.nat(key.length - 1), fc.nat(6))
      .map(
        ([at, bit]) =>
          key.slice(0, at) + String.fromCharCode(key.charCodeAt(at) ^ (1 << bit)) + key.slice(at + 1),
      ),
    fc.nat(key.length - 1).map((at) => key.slice(0, at)),
    fc.string({ minLength: 1, maxLength: 8 }).map((tail) => key + tail),
    fc.nat(key.length - 1).map((at) => key.slice(0, at) + key.charAt(at).toUpperCase() + key.slice(at + 1)),
    fc.constantFrom('../', '/', '%00', ' ').map((prefix) => prefix + key),
  );
}

/** Cookie headers carrying `sessionid` values built from `keys`, or junk around them. */
export function hostileCookieHeader(keys: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    keys.map((key) => `sessionid=${key}`),
    keys.map((key) => `other=1; sessionid=${key}; sessionid=second`),
    fc.string({ unit: fc.constantFrom(...`${KEY_CHARS}=; ",\u0000sessionid`), maxLength: 200 }),
  );
}

/** Keys and values that turn naive merges into prototype pollution. */
export const pollutingKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'valueOf',
);
export const pollutingValue = fc.oneof(
  fc.constant<unknown>({ polluted: 'yes' }),
  fc.constant<unknown>({ prototype: { polluted: 'yes' } }),
  fc.constant<unknown>(JSON.parse('{"__proto__":{"polluted":"yes"}}')),
  fc.constant<unknown>(JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}')),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Whether anything was added to Object.prototype. */
export function prototypePolluted(): boolean {
  return Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).polluted !== undefined;
}
