import { describeSessionStore } from '@sess/store-test-suite';
import { clusterClient } from './support/clients.js';
import { suiteOptions } from './support/conformance.js';

describeSessionStore('@sess/store-redis on a cluster', suiteOptions('suite-cluster', clusterClient()));
