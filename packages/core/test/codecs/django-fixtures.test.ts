import { Buffer } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from '../../src/codecs/base64url.js';
import {
  createDjangoSigner,
  DJANGO_SESSION_SALT,
  DJANGO_SIGNED_COOKIES_SALT,
  djangoDumps,
  djangoLoads,
} from '../../src/codecs/django-signing.js';
import type { Secret } from '../../src/codecs/secrets.js';
import { readFixture } from './fixtures.js';

interface DjangoCase {
  name: string;
  secret?: string;
  secret_hex?: string;
  time: number;
  input: Record<string, unknown>;
  json: string;
  zlib_hex: string;
  compressed: boolean;
  db_encode: string;
  signed_cookie: string;
  db_uncompressed: string;
}

interface DjangoFixtures {
  django: string;
  zlib: string;
  salts: { db: string; signed_cookies: string };
  cases: DjangoCase[];
}

const fixtures = readFixture<DjangoFixtures>('django-fixtures.json');
const secretOf = (each: DjangoCase): Secret =>
  each.secret_hex === undefined
    ? (each.secret as string)
    : Uint8Array.from(Buffer.from(each.secret_hex, 'hex'));
const cases = fixtures.cases.map((each) => [each.name, each] as const);

describe(`fresh fixtures from the real Django ${fixtures.django} (zlib ${fixtures.zlib})`, () => {
  it('were made with the salts sess exports', () => {
    expect(fixtures.salts).toEqual({ db: DJANGO_SESSION_SALT, signed_cookies: DJANGO_SIGNED_COOKIES_SALT });
  });

  it.each(cases)('%s: db SessionStore.encode() and the signed cookie decode to the input', (_name, each) => {
    const secret = secretOf(each);
    expect(djangoLoads(each.db_encode, { secret, salt: DJANGO_SESSION_SALT })).toEqual({
      ok: true,
      value: each.input,
      secretIndex: 0,
    });
    expect(djangoLoads(each.signed_cookie, { secret, salt: DJANGO_SIGNED_COOKIES_SALT })).toEqual({
      ok: true,
      value: each.input,
      secretIndex: 0,
    });
  });

  it.each(cases)('%s: uncompressed output is byte-equal', (_name, each) => {
    const options = { secret: secretOf(each), salt: DJANGO_SESSION_SALT, nowMs: each.time * 1000 };
    expect(djangoDumps(each.input, { ...options, compress: false })).toBe(each.db_uncompressed);
    if (!each.compressed) {
      expect(djangoDumps(each.input, options)).toBe(each.db_encode);
      expect(djangoDumps(each.input, { ...options, salt: DJANGO_SIGNED_COOKIES_SALT })).toBe(
        each.signed_cookie,
      );
    }
  });

  it.each(cases)('%s: the compressed payload holds exactly our JSON bytes', (_name, each) => {
    const payload = each.db_encode.split(':')[0] as string;
    expect(payload.startsWith('.')).toBe(each.compressed);
    const bytes = decodeBase64Url(each.compressed ? payload.slice(1) : payload) as Buffer;
    const json = each.compressed ? inflateSync(bytes) : bytes;
    expect(json.toString('latin1')).toBe(each.json);
    if (each.compressed) expect(bytes.toString('hex')).toBe(each.zlib_hex);
  });

  it.each(cases.filter(([, each]) => each.compressed))(
    '%s: byte-equal when Node’s deflate matches Python’s, and round-trips either way',
    (_name, each) => {
      const options = { secret: secretOf(each), salt: DJANGO_SESSION_SALT, nowMs: each.time * 1000 };
      const ours = djangoDumps(each.input, options);
      const sameZlib = deflateSync(Buffer.from(each.json, 'latin1')).toString('hex') === each.zlib_hex;
      expect(ours === each.db_encode).toBe(sameZlib);
      expect(djangoLoads(ours, options)).toEqual({ ok: true, value: each.input, secretIndex: 0 });
    },
  );

  it.each(cases)('%s: max_age is measured from the signing time', (_name, each) => {
    const signer = createDjangoSigner({ secret: secretOf(each), salt: DJANGO_SIGNED_COOKIES_SALT });
    const nowMs = (each.time + 3600) * 1000;
    expect(signer.loads(each.signed_cookie, { maxAgeSeconds: 3600, nowMs }).ok).toBe(true);
    expect(signer.loads(each.signed_cookie, { maxAgeSeconds: 3599, nowMs })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});
