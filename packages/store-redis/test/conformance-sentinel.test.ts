import { describeSessionStore } from '@sess/store-test-suite';
import { sentinelClient } from './support/clients.js';
import { suiteOptions } from './support/conformance.js';

describeSessionStore('@sess/store-redis through Sentinel', suiteOptions('suite-sentinel', sentinelClient()));
