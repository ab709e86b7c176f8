import { randomBytes } from 'node:crypto';
import { createDjangoSigner } from '@sess/core/codecs';
import { DJANGO_SESSION_SALT, type SessionStore } from '@sess/core/store';
import {
  destroyTests,
  expiryTests,
  lifecycleTests,
  metadataTests,
  ownerIndexTests,
  recordIdTests,
  type StoreSuiteOptions,
  serializationTests,
  vanishedTests,
} from '@sess/store-test-suite';
import { describe } from 'vitest';
import { createDjangoFileStore } from '../src/index.js';
import { readRaw, scratchDirectory } from './support.js';

/**
 * The concerns of the conformance suite that hold for a store keeping only what Django keeps (contract
 * v2: `metadata: false`). The others compare record metadata (`createdAt`, `owner`, `deadline`), which
 * Django mode cannot store by design (isolation and touch compare them too): loaded records carry the
 * file's mtime, and an owner, a deadline or a link is refused with `CapabilityMissing`. The metadata and
 * destroy concerns prove what such a store does instead. Django finds files by the raw key
 * (`capabilities.sharedKeys`, so core never hashes keys for this store): the record-id concern proves a
 * 40-character id is refused and never reaches the disk. Delta updates are declared absent, which the
 * lifecycle concern checks.
 */
const directory = scratchDirectory('django-suite');
const secretKey = `django-insecure-${randomBytes(25).toString('hex')}`;
/** Reads files as Django does: verified with the key, every key kept. */
const reader = createDjangoSigner({ secret: secretKey, salt: DJANGO_SESSION_SALT, parse: JSON.parse });

// Each store of the suite gets its own cookie name, which is the file prefix in Django mode.
const fresh = (): SessionStore =>
  createDjangoFileStore({ directory, secretKey, cookieName: `s${randomBytes(4).toString('hex')}id` });

const options: StoreSuiteOptions = {
  create: fresh,
  createIsolated: fresh,
  raw: {
    read: readRaw,
    data(raw) {
      if (raw === null) return null;
      const opened = reader.loads(raw as string);
      return opened.ok ? (opened.value as Record<string, unknown>) : null;
    },
    dataBytes: (raw) => raw as string,
  },
};

describe('@sess/store-file in Django mode (the conformance concerns that apply)', () => {
  serializationTests(options);
  expiryTests(options);
  vanishedTests(options);
  ownerIndexTests(options);
  metadataTests(options);
  destroyTests(options);
  recordIdTests(options);
  lifecycleTests(options);
});
