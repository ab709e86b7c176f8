import { afterAll, describe } from 'vitest';
import { basicTests } from './basic.js';
import { concurrencyTests } from './concurrency.js';
import { createCollisionTests } from './create-collision.js';
import { deltaTests } from './delta.js';
import { destroyTests } from './destroy.js';
import { expiryTests } from './expiry.js';
import { hostileKeyTests } from './hostile-keys.js';
import { isolationTests } from './isolation.js';
import { lifecycleTests } from './lifecycle.js';
import { metadataTests } from './metadata.js';
import type { StoreSuiteOptions } from './options.js';
import { ownerIndexTests } from './owner-index.js';
import { recordIdTests } from './record-ids.js';
import { serializationTests } from './serialization.js';
import { touchTests } from './touch.js';
import { vanishedTests } from './vanished.js';

/** Every concern of the suite, in the order `describeSessionStore` runs them. */
export const concerns = [
  basicTests,
  createCollisionTests,
  vanishedTests,
  expiryTests,
  touchTests,
  serializationTests,
  hostileKeyTests,
  isolationTests,
  concurrencyTests,
  ownerIndexTests,
  deltaTests,
  metadataTests,
  destroyTests,
  recordIdTests,
  lifecycleTests,
] as const;

/**
 * Declares the whole conformance suite for one engine under `describe(name)`: call it at the top level of
 * a test file. Tests inside a concern run concurrently, each on a fresh store from `options.create`;
 * `options.teardown` runs once after all of them.
 */
export function describeSessionStore(name: string, options: StoreSuiteOptions): void {
  describe(name, () => {
    for (const concern of concerns) concern(options);
    const { teardown } = options;
    if (teardown) afterAll(async () => teardown());
  });
}
