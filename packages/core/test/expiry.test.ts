import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  createSessionManager,
  type SessionData,
  type SessionManagerOptions,
} from '../src/index.js';
import {
  EXPIRY_KEY,
  expiresAtBrowserClose,
  expiryAge,
  expiryDate,
  parsePythonIsoFormat,
  toPythonIsoFormat,
} from '../src/session/expiry.js';
import { cookieHeaderFor, createTestClock } from '../src/testing.js';

const NOW = Date.UTC(2024, 0, 1);
const TWO_WEEKS = 1_209_600;

function setup(options: Omit<SessionManagerOptions, 'store'> = {}) {
  const clock = createTestClock(NOW);
  const store = createMemoryStore({ clock });
  const manager = createSessionManager({ store, clock, ...options });
  const open = async (cookieHeader?: string) => {
    const request = manager.open({ cookieHeader });
    return { request, session: await request.load() };
  };
  const loaded = async (data: SessionData) => open(await cookieHeaderFor(manager, data));
  return { clock, store, manager, open, loaded };
}

const attributes = (header: string | undefined) => (header ?? '').split('; ').slice(1);

describe('setExpiry (Django §1.6)', () => {
  it('a positive integer is stored as is and becomes the age of every save', async () => {
    const { open, store, clock } = setup();
    const first = await open();
    first.session.set('a', 1);
    first.session.setExpiry(300);
    expect(first.session.get(EXPIRY_KEY)).toBe(300);
    expect(first.session.getExpiryAge()).toBe(300);
    const result = await first.request.commit(200);
    expect(attributes(result.setCookie[0])).toEqual([
      'Path=/',
      'Expires=Mon, 01 Jan 2024 00:05:00 GMT',
      'Max-Age=300',
      'HttpOnly',
      'SameSite=Lax',
    ]);
    const key = first.session.key ?? '';
    expect(store.peek(key)?.expiresAt).toBe(NOW + 300_000);

    clock.advance(200);
    const second = await open(`sessionid=${key}`);
    second.session.set('b', 2);
    const again = await second.request.commit(200);
    expect(again.setCookie[0]).toContain('Max-Age=300');
    expect(store.peek(key)?.expiresAt).toBe(NOW + 500_000);
  });

  it('0 means at browser close: no Max-Age or Expires, the server keeps the default age', async () => {
    const { open, store } = setup();
    const { request, session } = await open();
    session.setExpiry(0);
    expect(session.get(EXPIRY_KEY)).toBe(0);
    expect(session.modified).toBe(true);
    expect(session.getExpireAtBrowserClose()).toBe(true);
    expect(session.getExpiryAge()).toBe(TWO_WEEKS);
    const result = await request.commit(200);
    expect(attributes(result.setCookie[0])).toEqual(['Path=/', 'HttpOnly', 'SameSite=Lax']);
    expect(store.peek(session.key ?? '')?.expiresAt).toBe(NOW + TWO_WEEKS * 1000);
  });

  it.each([
    { at: new Date(Date.UTC(2024, 0, 1, 12)), stored: '2024-01-01T12:00:00+00:00', age: 43_200 },
    {
      at: new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 123)),
      stored: '2024-01-01T12:00:00.123000+00:00',
      age: 43_200,
    },
    { at: new Date(NOW - 500), stored: '2023-12-31T23:59:59.500000+00:00', age: -1 },
  ])('a Date is stored as Python isoformat $stored', async ({ at, stored, age }) => {
    const { open } = setup();
    const { session } = await open();
    session.setExpiry(at);
    expect(session.get(EXPIRY_KEY)).toBe(stored);
    expect(session.modified).toBe(true);
    expect(session.getExpiryAge()).toBe(age);
    expect(session.getExpiryDate().getTime()).toBe(at.getTime());
    expect(session.getExpireAtBrowserClose()).toBe(false);
  });

  it('a Date gives a cookie with the remaining seconds', async () => {
    const { open, store } = setup();
    const { request, session } = await open();
    session.setExpiry(new Date(Date.UTC(2024, 0, 1, 12)));
    const result = await request.commit(200);
    expect(result.setCookie[0]).toContain('Max-Age=43200');
    expect(result.setCookie[0]).toContain('Expires=Mon, 01 Jan 2024 12:00:00 GMT');
    expect(store.peek(session.key ?? '')?.expiresAt).toBe(Date.UTC(2024, 0, 1, 12));
  });

  it('a negative integer is an already-expired age, as in Django', async () => {
    const { open } = setup();
    const { session } = await open();
    session.setExpiry(-5);
    expect(session.getExpiryAge()).toBe(-5);
  });

  it('null removes the stored expiry (modifying only when there was one)', async () => {
    const { loaded } = setup({ expireAtBrowserClose: true });
    const { session } = await loaded({ a: 1, [EXPIRY_KEY]: 60 });
    expect(session.getExpiryAge()).toBe(60);
    session.setExpiry(null);
    expect(session.modified).toBe(true);
    expect(session.has(EXPIRY_KEY)).toBe(false);
    expect(session.getExpiryAge()).toBe(TWO_WEEKS);
    expect(session.getExpireAtBrowserClose()).toBe(true);

    const plain = await loaded({ a: 1 });
    plain.session.setExpiry(null);
    expect(plain.session.modified).toBe(false);
  });

  it.each([
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['an invalid Date', new Date('nope')],
    ['a numeric string', '60'],
  ])('rejects %s with a TypeError and stores nothing', async (_name, value) => {
    const { open } = setup();
    const { session } = await open();
    expect(() => session.setExpiry(value as number)).toThrow(TypeError);
    expect(session.has(EXPIRY_KEY)).toBe(false);
    expect(session.modified).toBe(false);
  });
});

describe('getExpiryAge', () => {
  it('is SESSION_COOKIE_AGE without a stored expiry', async () => {
    expect((await setup().open()).session.getExpiryAge()).toBe(TWO_WEEKS);
    expect((await setup({ cookieAge: 3600 }).open()).session.getExpiryAge()).toBe(3600);
  });

  it('floors a stored ISO string with microseconds (as Django writes it)', async () => {
    const { loaded } = setup();
    const { session } = await loaded({ [EXPIRY_KEY]: '2024-01-01T00:10:00.999999+00:00' });
    expect(session.getExpiryAge()).toBe(600);
    expect(session.getExpiryDate().toISOString()).toBe('2024-01-01T00:10:00.999Z');
  });

  it.each([
    { name: 'an integer, as is', expiry: 100, modification: NOW + 5000, age: 100 },
    { name: 'null, meaning the default', expiry: null, modification: NOW, age: TWO_WEEKS },
    { name: '0, meaning the default', expiry: 0, modification: NOW, age: TWO_WEEKS },
    { name: 'an ISO string', expiry: '2024-01-01T00:01:40+00:00', modification: NOW, age: 100 },
    { name: 'an ISO string, floored', expiry: '2024-01-01T00:01:40+00:00', modification: NOW + 1, age: 99 },
    {
      name: 'a past ISO string, floored down',
      expiry: '2024-01-01T00:00:00+00:00',
      modification: NOW + 500,
      age: -1,
    },
    { name: 'an offset', expiry: '2024-01-01T01:00:00+01:00', modification: NOW - 10_000, age: 10 },
    { name: 'a Date', expiry: new Date(NOW + 30_000), modification: new Date(NOW), age: 30 },
  ])('with the expiry option as $name', async ({ expiry, modification, age }) => {
    const { loaded } = setup();
    const { session } = await loaded({ [EXPIRY_KEY]: 5 });
    expect(session.getExpiryAge({ expiry, modification })).toBe(age);
    expect(session.accessed).toBe(false);
  });

  it('measures from the clock, or from the modification option', async () => {
    const { loaded, clock } = setup();
    const { session } = await loaded({ [EXPIRY_KEY]: '2024-01-01T01:00:00+00:00' });
    expect(session.getExpiryAge()).toBe(3600);
    clock.advance(600);
    expect(session.getExpiryAge()).toBe(3000);
    expect(session.getExpiryAge({ modification: NOW })).toBe(3600);
    expect(session.getExpiryAge({ modification: new Date(NOW + 1_800_000) })).toBe(1800);
  });
});

describe('getExpiryDate', () => {
  it.each([
    { name: 'no expiry: now + default age', data: {}, date: NOW + TWO_WEEKS * 1000 },
    { name: 'an integer: now + it', data: { [EXPIRY_KEY]: 100 }, date: NOW + 100_000 },
    { name: '0: now + default age', data: { [EXPIRY_KEY]: 0 }, date: NOW + TWO_WEEKS * 1000 },
    {
      name: 'an ISO string: that instant',
      data: { [EXPIRY_KEY]: '2025-06-01T00:00:00+00:00' },
      date: Date.UTC(2025, 5, 1),
    },
  ])('$name', async ({ data, date }) => {
    const { loaded } = setup();
    const { session } = await loaded({ a: 1, ...data });
    expect(session.getExpiryDate().getTime()).toBe(date);
  });

  it('takes the modification and expiry options', async () => {
    const { loaded } = setup({ cookieAge: 60 });
    const { session } = await loaded({ a: 1, [EXPIRY_KEY]: 100 });
    expect(session.getExpiryDate({ modification: 0 }).getTime()).toBe(100_000);
    expect(session.getExpiryDate({ modification: 0, expiry: null }).getTime()).toBe(60_000);
    expect(session.getExpiryDate({ expiry: 7 }).getTime()).toBe(NOW + 7000);
    expect(session.getExpiryDate({ expiry: new Date(5) }).getTime()).toBe(5);
  });
});

describe('getExpireAtBrowserClose', () => {
  it.each([
    { setting: false, stored: undefined, expected: false },
    { setting: true, stored: undefined, expected: true },
    { setting: false, stored: 0, expected: true },
    { setting: true, stored: 0, expected: true },
    { setting: true, stored: 300, expected: false },
    { setting: true, stored: '2025-01-01T00:00:00+00:00', expected: false },
  ])('expireAtBrowserClose=$setting, stored $stored → $expected', async ({ setting, stored, expected }) => {
    const { loaded } = setup({ expireAtBrowserClose: setting });
    const { session, request } = await loaded(
      stored === undefined ? { a: 1 } : { a: 1, [EXPIRY_KEY]: stored },
    );
    expect(session.getExpireAtBrowserClose()).toBe(expected);
    session.set('b', 2);
    const header = (await request.commit(200)).setCookie[0] ?? '';
    expect(header.includes('Max-Age=')).toBe(!expected);
    expect(header.includes('Expires=')).toBe(!expected);
  });
});

describe('Python isoformat', () => {
  it.each([
    ['2024-01-01T12:00:00+00:00', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T12:00:00.123456+00:00', Date.UTC(2024, 0, 1, 12, 0, 0, 123)],
    ['2024-01-01T12:00:00.5+00:00', Date.UTC(2024, 0, 1, 12, 0, 0, 500)],
    ['2024-01-01T12:00:00Z', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T17:30:00+05:30', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T04:00:00-08:00', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T17:30:00+0530', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T12:00:10+00:00:10', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T12:00:00', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01 12:00:00', Date.UTC(2024, 0, 1, 12)],
    ['2024-01-01T12:00', Date.UTC(2024, 0, 1, 12)],
    ['2024-02-29T00:00:00+00:00', Date.UTC(2024, 1, 29)],
  ])('parsePythonIsoFormat(%s)', (text, expected) => {
    expect(parsePythonIsoFormat(text)).toBe(expected);
  });

  it.each([
    '',
    'tomorrow',
    '2024-01-01',
    '2024-01-01T12',
    '2024-1-1T12:00:00',
    '2024-01-01T12:00:00.1234567+00:00',
    '2024-01-01T12:00:00+00',
    '2024-13-01T00:00:00+00:00',
    '2024-02-30T00:00:00+00:00',
    '2023-02-29T00:00:00+00:00',
    '2024-01-01T24:00:00+00:00',
    '2024-01-01T12:60:00+00:00',
    '2024-01-01T12:00:61+00:00',
    '2024-01-01T12:00:00+25:00',
    ' 2024-01-01T12:00:00+00:00',
  ])('parsePythonIsoFormat(%j) is null', (text) => {
    expect(parsePythonIsoFormat(text)).toBeNull();
  });

  it.each([
    [Date.UTC(2024, 0, 1, 12), '2024-01-01T12:00:00+00:00'],
    [Date.UTC(2024, 0, 1, 12, 0, 0, 1), '2024-01-01T12:00:00.001000+00:00'],
    [Date.UTC(1999, 11, 31, 23, 59, 59, 999), '1999-12-31T23:59:59.999000+00:00'],
  ])('toPythonIsoFormat(%d) is %s and parses back', (ms, text) => {
    expect(toPythonIsoFormat(new Date(ms))).toBe(text);
    expect(parsePythonIsoFormat(text)).toBe(ms);
  });
});

describe('expiry rules as pure functions', () => {
  it.each([
    { expiry: undefined, age: 60 },
    { expiry: null, age: 60 },
    { expiry: 0, age: 60 },
    { expiry: 30, age: 30 },
    { expiry: -30, age: -30 },
    { expiry: '1970-01-01T00:00:10+00:00', age: 10 },
    { expiry: 'not a date', age: 60 },
  ])('expiryAge($expiry) from 0 with default 60 is $age', ({ expiry, age }) => {
    expect(expiryAge(expiry, 0, 60)).toBe(age);
  });

  it.each([
    { expiry: undefined, date: 1000 + 60_000 },
    { expiry: 0, date: 1000 + 60_000 },
    { expiry: 30, date: 1000 + 30_000 },
    { expiry: '1970-01-01T00:00:10+00:00', date: 10_000 },
  ])('expiryDate($expiry) from 1000 ms with default 60 is $date', ({ expiry, date }) => {
    expect(expiryDate(expiry, 1000, 60)).toBe(date);
  });

  it.each([
    { expiry: undefined, fallback: true, result: true },
    { expiry: null, fallback: false, result: false },
    { expiry: 0, fallback: false, result: true },
    { expiry: 10, fallback: true, result: false },
  ])('expiresAtBrowserClose($expiry, $fallback) is $result', ({ expiry, fallback, result }) => {
    expect(expiresAtBrowserClose(expiry, fallback)).toBe(result);
  });
});
