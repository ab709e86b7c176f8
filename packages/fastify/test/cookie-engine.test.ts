import { createSessionManager } from '@sess/core';
import { cookieHeaderFor } from '@sess/core/testing';
import { describeAdapter, type StorageUnderTest } from '@sess/http-test-suite';
// The cookie engine is not a dependency of this package: its source is reached inside the monorepo, to
// prove the suite's signature cases (tampered, forged, re-sealed) against the real engine.
import { createCookieStore } from '../../store-cookie/src/index.js';
import { fastifyAdapters } from './harness.js';

const OLD = 'http-suite-old-secret-0123456789abcdefghij';
const NEW = 'http-suite-new-secret-0123456789abcdefghij';
const FOREIGN = 'http-suite-foreign-secret-0123456789abcdef';

// A well-sealed cookie under a secret the server does not know.
const foreign = await cookieHeaderFor(
  createSessionManager({ store: createCookieStore({ secretKey: FOREIGN }) }),
  { num_visits: 99 },
);
const forged = foreign.slice(foreign.indexOf('=') + 1);

function flipMiddle(value: string): string {
  const at = Math.floor(value.length / 2);
  return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
}

const sealed: StorageUnderTest = {
  name: 'the sealed cookie engine',
  create: () => ({ store: createCookieStore({ secretKey: NEW }) }),
  forge: () => forged,
  tamper: flipMiddle,
  reseal: async () => ({
    old: { store: createCookieStore({ secretKey: OLD }) },
    current: { store: createCookieStore({ secretKey: NEW, secretKeyFallbacks: [OLD] }) },
  }),
};

for (const [name, adapter] of Object.entries(fastifyAdapters)) {
  describeAdapter(`@sess/fastify on ${name}`, adapter, { storage: sealed });
}
