import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase62, encodeBase62 } from '../../src/codecs/base62.js';
import { decodeBase64Url, encodeBase64Url } from '../../src/codecs/base64url.js';
import { DJANGO_SESSION_SALT, djangoDumps, djangoLoads } from '../../src/codecs/django-signing.js';
import { pythonJsonDumps } from '../../src/codecs/python-json.js';
import { createSealer } from '../../src/codecs/sealer.js';
import { parseJsonSafely } from '../../src/codecs/serializer.js';
import { createSigner } from '../../src/codecs/signer.js';
import { PROPERTY_RUNS } from './fixtures.js';

const runs = { numRuns: PROPERTY_RUNS };
/** Room for a long run (`SESS_PROPERTY_RUNS`): about 5 ms per run, never under vitest's 5 s default. */
const timeout = Math.max(5_000, PROPERTY_RUNS * 5);
const SECRET = 'property-test-secret-0123456789abcdef';
const OTHER = 'property-test-secret-fedcba9876543210';
const name = 'sessionid';
const iat = 1_700_000_000;
const exp = iat + 1_209_600;
const nowMs = (iat + 1) * 1000;

/** Characters that tokens are made of, plus the usual suspects (padding, standard base64, controls). */
const TOKEN_CHARS = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  ...'.:=+/ \n\u0000é😀',
  's1.',
];

/** Any text: arbitrary code points (lone surrogates included) or token-shaped garbage. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), maxLength: 300 }),
  fc.string({ maxLength: 300 }),
);

/** Session-like data: JSON objects with arbitrary keys and values. */
const sessionData = fc.dictionary(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.jsonValue({ maxDepth: 3 }),
  {
    maxKeys: 8,
  },
) as fc.Arbitrary<Record<string, unknown>>;

/**
 * One edit of a string: replace, insert or delete a character, truncate, or append. Half the edits land
 * on the last four characters, where base64 hides its unused bits.
 */
const edit = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'append'),
  at: fc.nat(),
  nearEnd: fc.boolean(),
  char: fc.constantFrom(...TOKEN_CHARS),
});

interface Edit {
  kind: string;
  at: number;
  nearEnd: boolean;
  char: string;
}

function applyEdit(text: string, { kind, at, nearEnd, char }: Edit): string {
  const index = nearEnd ? Math.max(0, text.length - 1 - (at % 4)) : at % (text.length + 1);
  switch (kind) {
    case 'replace':
      return text.slice(0, index) + char + text.slice(index + 1);
    case 'insert':
      return text.slice(0, index) + char + text.slice(index);
    case 'delete':
      return text.slice(0, index) + text.slice(index + 1);
    case 'truncate':
      return text.slice(0, index);
    default:
      return text + char;
  }
}

/** What data looks like after a JSON round trip through the safe parser (no `__proto__`, no `-0`). */
const viaJson = (value: unknown): unknown => parseJsonSafely(JSON.stringify(value));

describe('decodeBase64Url properties', () => {
  it(
    'never throws, and whatever it accepts is canonical',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const decoded = decodeBase64Url(text);
          if (decoded !== null) expect(encodeBase64Url(decoded)).toBe(text);
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'inverts encodeBase64Url',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          expect(new Uint8Array(decodeBase64Url(encodeBase64Url(bytes)) as Buffer)).toEqual(bytes);
        }),
        runs,
      );
    },
    timeout,
  );
});

describe('base62 properties', () => {
  it(
    'round-trips safe integers and never throws on decode',
    () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), anyText, (value, text) => {
          expect(decodeBase62(encodeBase62(value))).toBe(value);
          decodeBase62(text);
        }),
        runs,
      );
    },
    timeout,
  );
});

describe('pythonJsonDumps properties', () => {
  it(
    'writes ASCII that parses to what JSON.stringify means',
    () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = pythonJsonDumps(value);
          expect(text).toMatch(/^[\x20-\x7e]*$/);
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        }),
        runs,
      );
    },
    timeout,
  );
});

describe('djangoLoads properties', () => {
  const options = { secret: SECRET, salt: DJANGO_SESSION_SALT, maxAgeSeconds: 60, nowMs };

  it(
    'never throws and never accepts arbitrary text',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          expect(djangoLoads(text, options).ok).toBe(false);
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'round-trips session data, compressed or not',
    () => {
      fc.assert(
        fc.property(sessionData, fc.boolean(), (data, compress) => {
          const token = djangoDumps(data, { secret: SECRET, salt: DJANGO_SESSION_SALT, compress, nowMs });
          expect(djangoLoads(token, options)).toEqual({ ok: true, value: viaJson(data), secretIndex: 0 });
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'never accepts an edited token, nor one under another secret',
    () => {
      fc.assert(
        fc.property(sessionData, fc.boolean(), edit, (data, compress, change) => {
          const token = djangoDumps(data, { secret: SECRET, salt: DJANGO_SESSION_SALT, compress, nowMs });
          const edited = applyEdit(token, change);
          fc.pre(edited !== token);
          expect(djangoLoads(edited, options).ok).toBe(false);
          expect(djangoLoads(token, { ...options, secret: OTHER }).ok).toBe(false);
        }),
        runs,
      );
    },
    timeout,
  );
});

describe('signer properties', () => {
  const signer = createSigner({ secrets: [SECRET, OTHER] });

  it(
    'never throws and never accepts arbitrary text',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          expect(signer.unsign(text)).toBeNull();
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'round-trips any value and never accepts an edited one',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 100 }), edit, (value, change) => {
          const signed = signer.sign(value);
          expect(signer.unsign(signed)).toEqual({ value, secretIndex: 0 });
          const edited = applyEdit(signed, change);
          fc.pre(edited !== signed);
          expect(signer.unsign(edited)).toBeNull();
        }),
        runs,
      );
    },
    timeout,
  );
});

describe('sealer properties', () => {
  const sealer = createSealer({ secrets: [SECRET, OTHER] });
  const squeezing = createSealer({ secrets: [OTHER], compress: true });

  it(
    'never throws and never opens arbitrary text',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          expect(sealer.open(text, { name, nowMs })).toBeNull();
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'round-trips session data, compressed or not',
    () => {
      fc.assert(
        fc.property(sessionData, fc.boolean(), (data, compress) => {
          const token = (compress ? squeezing : sealer).seal(data, { name, iat, exp });
          expect(sealer.open(token, { name, nowMs })).toEqual({
            data: viaJson(data),
            iat,
            exp,
            secretIndex: compress ? 1 : 0,
          });
        }),
        runs,
      );
    },
    timeout,
  );

  it(
    'never opens an edited token',
    () => {
      fc.assert(
        fc.property(sessionData, fc.boolean(), edit, (data, compress, change) => {
          const token = (compress ? squeezing : sealer).seal(data, { name, iat, exp });
          const edited = applyEdit(token, change);
          fc.pre(edited !== token);
          expect(sealer.open(edited, { name, nowMs })).toBeNull();
        }),
        runs,
      );
    },
    timeout,
  );
});
