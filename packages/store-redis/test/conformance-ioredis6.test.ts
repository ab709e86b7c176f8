import { createRequire } from 'node:module';
import { describeSessionStore } from '@sess/store-test-suite';
import { redisClusterNodes, redisSentinels, redisUrl } from '@sess/test-harness';
import type { Redis as Redis5 } from 'ioredis';
import { Cluster, Redis } from 'ioredis6';
import { describe, expect, it } from 'vitest';
import type { RedisLike } from '../src/index.js';
import { suiteOptions } from './support/conformance.js';

// The peer range admits ioredis 5 and 6: the other files run ioredis 5 (`ioredis`), this one runs the
// whole suite on ioredis 6 (the `ioredis6` alias, which speaks RESP3 by default) on every topology.

// Failing fast as in ./support/clients.js (its options object is typed for ioredis 5).
const fastFail = { maxRetriesPerRequest: 1 };
const single: RedisLike = new Redis(redisUrl(), fastFail);
const sentinel: RedisLike = new Redis({ ...redisSentinels(), ...fastFail });
const cluster: RedisLike = new Cluster(redisClusterNodes(), { redisOptions: fastFail });

// The annotations above prove ioredis 6 satisfies the store's structural client type. The support helper
// is typed with ioredis 5's classes, whose private option types differ from 6's, so the clients are
// handed over as that type; the helper calls only `hgetall` and `quit`, which both majors have.
const asHelperClient = (client: RedisLike): Redis5 => client as unknown as Redis5;

describeSessionStore(
  '@sess/store-redis on a single server, ioredis 6',
  suiteOptions('suite-single-ioredis6', asHelperClient(single)),
);
describeSessionStore(
  '@sess/store-redis through Sentinel, ioredis 6',
  suiteOptions('suite-sentinel-ioredis6', asHelperClient(sentinel)),
);
describeSessionStore(
  '@sess/store-redis on a cluster, ioredis 6',
  suiteOptions('suite-cluster-ioredis6', asHelperClient(cluster)),
);

describe('the driver of this file', () => {
  it('is ioredis 6, speaking RESP3 to the server', async () => {
    const { version } = createRequire(import.meta.url)('ioredis6/package.json') as { version: string };
    expect(version.split('.')[0]).toBe('6');
    const probe = new Redis(redisUrl(), fastFail);
    try {
      expect(await probe.call('CLIENT', 'INFO')).toMatch(/ resp=3\b/);
    } finally {
      await probe.quit();
    }
  });
});
