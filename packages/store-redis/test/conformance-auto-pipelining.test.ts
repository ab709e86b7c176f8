import { describeSessionStore } from '@sess/store-test-suite';
import { clusterClient, sentinelClient, singleClient } from './support/clients.js';
import { suiteOptions } from './support/conformance.js';

// The README recommends ioredis's auto-pipelining under load: the store's scripts and reads must behave the
// same when the driver batches the commands of concurrent requests into one write.
describeSessionStore(
  '@sess/store-redis on a single server, auto-pipelined',
  suiteOptions('suite-single-pipelined', singleClient({ enableAutoPipelining: true })),
);
describeSessionStore(
  '@sess/store-redis through Sentinel, auto-pipelined',
  suiteOptions('suite-sentinel-pipelined', sentinelClient({ enableAutoPipelining: true })),
);
describeSessionStore(
  '@sess/store-redis on a cluster, auto-pipelined',
  suiteOptions('suite-cluster-pipelined', clusterClient({ enableAutoPipelining: true })),
);
