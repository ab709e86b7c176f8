import { Buffer } from 'node:buffer';
import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { DJANGO_SIGNED_COOKIES_SALT, deriveDjangoKey, encodeBase62 } from '@sess/core/codecs';
import fc from 'fast-check';
import { NEW_SECRET, START } from './support.js';

/**
 * Cookie values made outside the engine, for its property tests: sealed (AES-256-GCM) and Django-signed
 * values under the right or a wrong key, and authentic values whose content is hostile.
 */
const POLLUTING = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}},"b":[{"constructor":{"prototype":{"polluted":"yes"}}}]}',
  '{"\\u005f_proto__":{"polluted":"yes"}}',
];
const NOW_S = Math.floor(START / 1000);

/** JSON text a sealed plaintext or a Django payload may hold: valid, polluting, or of the wrong shape. */
const hostileJson = fc.oneof(
  fc.constantFrom(...POLLUTING).map((data) => `{"exp":${NOW_S + 3600},"iat":${NOW_S},"data":${data}}`),
  fc.constantFrom(...POLLUTING),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => `{"exp":${NOW_S + 3600},"iat":${NOW_S},"data":${JSON.stringify(value)}}`),
  fc
    .constantFrom('"exp"', 'null', '1e999', '"x"', '[]', 'NaN', '-1', `${NOW_S - 1}`)
    .map((exp) => `{"exp":${exp},"iat":${NOW_S},"data":{}}`),
  fc
    .nat(5000)
    .map(
      (depth) =>
        `{"exp":${NOW_S + 3600},"iat":${NOW_S},"data":{"d":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
    ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function sealingKey(info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(NEW_SECRET), Buffer.alloc(0), Buffer.from(info), 32));
}

/** A sealed token made here, independently of the engine: AES-256-GCM under the right (or a wrong) key. */
function sealRaw(plaintext: Buffer, name = 'sessionid', info = 'sess/seal/v1'): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(info), nonce);
  cipher.setAAD(Buffer.from(`s1.${name}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `s1.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** A sealed value of `data` for cookie `name`, under the right key, or a key derived with another `info`. */
export function sealFor(data: unknown, name: string, info?: string): string {
  const json = JSON.stringify({ exp: NOW_S + 3600, iat: NOW_S, data });
  return sealRaw(Buffer.from(json), name, info);
}

/** A Django-signed value over an arbitrary payload text, under the right secret and salt. */
function signRaw(payload: string): string {
  const signed = `${payload}:${encodeBase62(NOW_S)}`;
  const key = deriveDjangoKey(NEW_SECRET, DJANGO_SIGNED_COOKIES_SALT);
  return `${signed}:${createHmac('sha256', key).update(signed).digest('base64url')}`;
}

/** Values authentic for `mode` (sealed, signed) whose content is hostile or of the wrong shape. */
export function authenticHostile(mode: string): fc.Arbitrary<string> {
  if (mode === 'sealed') {
    return fc.oneof(
      hostileJson.map((json) => sealRaw(Buffer.from(json))),
      hostileJson.map((json) => sealRaw(Buffer.concat([Buffer.of(1), deflateRawSync(json)]))),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => sealRaw(Buffer.concat([Buffer.of(1), bytes]))),
      fc.constant(sealRaw(Buffer.concat([Buffer.of(1), deflateRawSync(Buffer.alloc(1_000_000, 0x20))]))),
    );
  }
  return fc.oneof(
    hostileJson.map((json) => signRaw(Buffer.from(json, 'latin1').toString('base64url'))),
    hostileJson.map((json) => signRaw(`.${Buffer.from(deflateRawSync(json)).toString('base64url')}`)),
    fc.string({ unit: fc.constantFrom(...'AZaz09-_.'), maxLength: 100 }).map(signRaw),
    fc.constant(
      signRaw(`.${Buffer.from(deflateRawSync(Buffer.alloc(3_000_000, 0x20))).toString('base64url')}`),
    ),
  );
}
