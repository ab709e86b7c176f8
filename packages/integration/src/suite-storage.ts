import type { StorageUnderTest } from '@sess/http-test-suite';
import type { Engine } from './engines/index.js';

/**
 * The HTTP suite's storage hook for an engine: fresh storage per test (random prefix, table or directory)
 * on the suite's clock. Forged and tampered cookies use the suite's defaults (a random well-formed key; the
 * issued key with its last character changed), which are right for every server store.
 */
export function suiteStorage(engine: Engine): StorageUnderTest {
  return {
    name: engine.title,
    create: async ({ clock }) => ({ store: (await engine.storage({ clock })).store }),
  };
}
