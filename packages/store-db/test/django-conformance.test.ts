import { createDjangoSigner, DJANGO_SESSION_SALT } from '@sess/core/codecs';
import type { SessionStore } from '@sess/core/store';
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
import { createDjangoDbStore, type DjangoDbStore } from '../src/index.js';
import { newSecretKey } from './django-support.js';
import { openTestDb, quoteTable, uniqueTable } from './support.js';

/**
 * The concerns of the conformance suite a store without metadata (`capabilities.metadata: false`) runs:
 * every one that does not compare stored metadata (`createdAt`, `owner`, `deadline`), which Django mode
 * cannot store by design (loaded records carry the load time). The metadata, destroy and record-id
 * concerns prove what it does instead: an owner or a deadline is refused with `CapabilityMissing`, what
 * stores nothing is accepted, and no meta comes back. Delta updates are declared absent, which the
 * lifecycle concern checks.
 */
const db = await openTestDb('store_db_django_suite');
const secretKey = newSecretKey();
/** Reads rows as any reader of the table would: verified with the key, every key kept. */
const reader = createDjangoSigner({ secret: secretKey, salt: DJANGO_SESSION_SALT, parse: JSON.parse });

async function freshStore(): Promise<SessionStore> {
  const store = createDjangoDbStore(db.pool, { secretKey, tableName: uniqueTable('django_suite') });
  await store.migrate();
  return store;
}

interface RawRow {
  session_data: string;
}

const options: StoreSuiteOptions = {
  create: freshStore,
  createIsolated: freshStore,
  raw: {
    async read(store, key) {
      const table = quoteTable((store as DjangoDbStore).tableName);
      const { rows } = await db.pool.query<RawRow>(
        `SELECT session_data FROM ${table} WHERE session_key = $1`,
        [key],
      );
      return rows[0] ?? null;
    },
    data(raw) {
      const opened = reader.loads((raw as RawRow).session_data);
      return opened.ok ? (opened.value as Record<string, unknown>) : null;
    },
    dataBytes: (raw) => (raw as RawRow).session_data,
  },
};

describe('@sess/store-db in Django mode (the conformance concerns that apply)', () => {
  serializationTests(options);
  expiryTests(options);
  vanishedTests(options);
  ownerIndexTests(options);
  metadataTests(options);
  destroyTests(options);
  recordIdTests(options);
  lifecycleTests(options);
});
