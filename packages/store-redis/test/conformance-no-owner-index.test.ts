import { describeSessionStore } from '@sess/store-test-suite';
import { singleClient } from './support/clients.js';
import { suiteOptions } from './support/conformance.js';

// With the index switched off the store must declare it absent: the suite then proves CapabilityMissing.
describeSessionStore(
  '@sess/store-redis without the owner index',
  suiteOptions('suite-no-index', singleClient(), { ownerIndex: false }),
);
