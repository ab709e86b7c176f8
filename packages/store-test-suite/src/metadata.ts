import { expiryRaceTests } from './metadata-expiry.js';
import { linkRaceTests } from './metadata-links.js';
import { ownerRaceTests } from './metadata-owner.js';
import type { StoreSuiteOptions } from './options.js';

/**
 * Metadata written as deltas (issue 15): per field, a writer holding a stale view of the record races
 * another request's change through a gate (one after the other, deterministically) and in parallel, and
 * never undoes it. Stores declaring `capabilities.metadata: false` prove instead that they keep none of it.
 */
export function metadataTests(options: StoreSuiteOptions): void {
  ownerRaceTests(options);
  expiryRaceTests(options);
  linkRaceTests(options);
}
