import { describeSessionStore } from '@sess/store-test-suite';
import { singleClient } from './support/clients.js';
import { suiteOptions } from './support/conformance.js';

describeSessionStore('@sess/store-redis on a single server', suiteOptions('suite-single', singleClient()));
