import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CookieAttributes,
  isCookieName,
  parseCookieHeader,
  serializeSetCookie,
} from '../src/adapter/index.js';

const jar = (header: string | null | undefined) => {
  const parsed = parseCookieHeader(header);
  return Object.fromEntries([...parsed.names()].map((name) => [name, parsed.get(name)]));
};

/** Strings made mostly of the characters a cookie parser cares about. */
const cookieish = fc
  .array(fc.constantFrom(';', '=', '"', ' ', '\t', 'a', 'sessionid', '\u0000', '\r\n', 'é', '😀', '\ud800'), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''));

describe('parseCookieHeader', () => {
  it.each([
    ['a=1', { a: '1' }],
    ['a=1; b=2', { a: '1', b: '2' }],
    ['a=1;b=2', { a: '1', b: '2' }],
    ['  a = 1 ;  b=2  ', { a: '1', b: '2' }],
    ['a=1; a=2', { a: '1' }],
    ['sessionid=first; other=x; sessionid=second', { sessionid: 'first', other: 'x' }],
    ['a="quoted"', { a: 'quoted' }],
    ['a=""', { a: '' }],
    ['a="', { a: '"' }],
    ['a="x', { a: '"x' }],
    ['a=', { a: '' }],
    ['a=b=c', { a: 'b=c' }],
    ['a=%2F', { a: '%2F' }],
    ['novalue; a=1', { a: '1' }],
    ['=value; a=1', { a: '1' }],
    [';;; a=1 ;;', { a: '1' }],
  ])('%j', (header, expected) => {
    expect(jar(header)).toEqual(expected);
  });

  it.each([undefined, null, ''])('%j is an empty jar', (header) => {
    const parsed = parseCookieHeader(header);
    expect([...parsed.names()]).toEqual([]);
    expect(parsed.get('sessionid')).toBeUndefined();
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), cookieish), (header) => {
        const parsed = parseCookieHeader(header);
        return [...parsed.names()].every((name) => typeof parsed.get(name) === 'string');
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the plain reading (split on ";", split at the first "=", trim, first name wins)', () => {
    const plain = (header: string) => {
      const found = new Map<string, string>();
      for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        const name = part.slice(0, Math.max(eq, 0)).trim();
        if (eq <= 0 || !name || found.has(name)) continue;
        let value = part.slice(eq + 1).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
        found.set(name, value);
      }
      return Object.fromEntries(found);
    };
    fc.assert(
      fc.property(cookieish, (header) => {
        expect(jar(header)).toEqual(plain(header));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a cookie behind thousands of segments without "=" (read once, not from each segment)', () => {
    const header = `${'x;'.repeat(7000)}sessionid=abc; ${'y;'.repeat(1000)}`;
    const parsed = parseCookieHeader(header);
    expect(parsed.get('sessionid')).toBe('abc');
    expect([...parsed.names()]).toEqual(['sessionid']);
  });

  it('does not treat prototype names specially', () => {
    const parsed = parseCookieHeader('__proto__=x; constructor=y');
    expect(parsed.get('__proto__')).toBe('x');
    expect(parsed.get('toString')).toBeUndefined();
  });
});

const base: CookieAttributes = {
  path: '/',
  secure: false,
  httpOnly: true,
  sameSite: 'Lax',
  partitioned: false,
  maxAge: 60,
  expires: Date.UTC(2024, 0, 1),
};

describe('serializeSetCookie', () => {
  it('writes Django’s attributes in a fixed order', () => {
    expect(serializeSetCookie('sessionid', 'abc', base)).toBe(
      'sessionid=abc; Path=/; Expires=Mon, 01 Jan 2024 00:00:00 GMT; Max-Age=60; HttpOnly; SameSite=Lax',
    );
    expect(
      serializeSetCookie('sid', 'v', {
        ...base,
        domain: 'example.com',
        secure: true,
        httpOnly: false,
        sameSite: false,
        partitioned: true,
        priority: 'High',
        maxAge: null,
        expires: null,
      }),
    ).toBe('sid=v; Domain=example.com; Path=/; Secure; Partitioned; Priority=High');
  });

  it('a null value deletes the cookie', () => {
    expect(serializeSetCookie('sessionid', null, base)).toBe(
      'sessionid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax',
    );
  });

  it('any sequence of attributes formats each as if it were the first (the last one kept is never stale)', () => {
    const written = (value: string | null, a: CookieAttributes) =>
      [
        `n=${value ?? ''}`,
        a.domain ? `; Domain=${a.domain}` : '',
        `; Path=${a.path}`,
        value === null
          ? '; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0'
          : (a.expires === null ? '' : `; Expires=${new Date(a.expires).toUTCString()}`) +
            (a.maxAge === null ? '' : `; Max-Age=${Math.max(0, Math.floor(a.maxAge))}`),
        a.secure ? '; Secure' : '',
        a.httpOnly ? '; HttpOnly' : '',
        a.sameSite ? `; SameSite=${a.sameSite}` : '',
        a.partitioned ? '; Partitioned' : '',
        a.priority ? `; Priority=${a.priority}` : '',
      ].join('');
    const attributes = fc.record({
      domain: fc.constantFrom(undefined, 'a.example', 'b.example'),
      path: fc.constantFrom('/', '/app'),
      secure: fc.boolean(),
      httpOnly: fc.boolean(),
      sameSite: fc.constantFrom('Lax' as const, 'Strict' as const, 'None' as const, false as const),
      partitioned: fc.boolean(),
      priority: fc.constantFrom(undefined, 'Low' as const, 'High' as const),
      maxAge: fc.constantFrom(null, 0, 60, 60.5, 1_209_600),
      // Within two seconds of each other, so that neighbours often share a second (or just miss it).
      expires: fc.option(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_002_000 }), { nil: null }),
    });
    const fields = Object.keys(base).concat('domain', 'priority') as (keyof CookieAttributes)[];
    // Each call changes one field of the one before (or none), so a stale comparison of any field shows.
    const step = fc.tuple(fc.option(fc.constant('v'), { nil: null }), fc.constantFrom(...fields), attributes);
    fc.assert(
      fc.property(attributes, fc.array(step, { maxLength: 30 }), (first, steps) => {
        let current: CookieAttributes = first;
        for (const [value, field, next] of steps) {
          current = { ...current, [field]: next[field] };
          expect(serializeSetCookie('n', value, current)).toBe(written(value, current));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('floors Max-Age and never writes a negative one', () => {
    expect(serializeSetCookie('a', 'b', { ...base, maxAge: 1.9, expires: null })).toContain('Max-Age=1');
    expect(serializeSetCookie('a', 'b', { ...base, maxAge: -5, expires: null })).toContain('Max-Age=0');
  });

  it.each([
    ['a semicolon', 'a;b'],
    ['a space', 'a b'],
    ['a comma', 'a,b'],
    ['a double quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['a newline', 'a\r\nSet-Cookie: x=1'],
    ['a NUL', 'a\u0000'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007f'],
    ['non-ASCII', 'café'],
  ])('rejects a value with %s', (_name, value) => {
    expect(() => serializeSetCookie('sessionid', value, base)).toThrow(TypeError);
  });

  it.each([
    ['name', { name: 'a b' }],
    ['name', { name: 'a;b' }],
    ['name', { name: '' }],
    ['domain', { domain: 'example.com; Secure' }],
    ['domain', { domain: 'example.com\r\nX: y' }],
    ['path', { path: '/a;b' }],
    ['path', { path: '/a b' }],
    ['path', { path: '/\u0000' }],
  ])('rejects a %s that could start another attribute: %j', (_field, change) => {
    const { name = 'sessionid', ...attributes } = change as { name?: string } & Partial<CookieAttributes>;
    expect(() => serializeSetCookie(name, 'v', { ...base, ...attributes })).toThrow(TypeError);
  });

  it('accepts every character of the cookie-octet set', () => {
    const octets = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i))
      .filter((c) => !'",;\\'.includes(c))
      .join('');
    expect(serializeSetCookie('a', octets, base).startsWith(`a=${octets}; `)).toBe(true);
  });
});

describe('isCookieName', () => {
  it.each(['sessionid', '__Host-sid', '__Secure-sid', 'a.b', "a!#$%&'*+-.^_`|~z"])('accepts %j', (name) => {
    expect(isCookieName(name)).toBe(true);
  });

  it.each(['', 'a b', 'a=b', 'a;b', 'a,b', 'a"b', 'a(b)', 'é', 'a\tb', 'a/b'])('rejects %j', (name) => {
    expect(isCookieName(name)).toBe(false);
  });
});
