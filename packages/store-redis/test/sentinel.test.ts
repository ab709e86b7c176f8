import { generateSessionKey } from '@sess/core/store';
import { redisSentinels } from '@sess/test-harness';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { randomPrefix, sentinelClient } from './support/clients.js';

const client = sentinelClient();
const clients: Redis[] = [client];

afterAll(() => {
  // disconnect, not quit: a sentinel does not know QUIT.
  for (const c of clients) c.disconnect();
});

it('a Sentinel-configured client writes sessions to the master the sentinels name', async () => {
  const store = createRedisStore(client, { prefix: randomPrefix('sentinel') });
  const key = generateSessionKey();
  const now = Date.now();
  await store.create(key, {
    data: { via: 'sentinel' },
    expiresAt: now + 60_000,
    meta: { createdAt: now, lastSeenAt: now },
  });

  const { sentinels, name } = redisSentinels();
  const sentinel = new Redis({
    ...(sentinels[0] as { host: string; port: number }),
    maxRetriesPerRequest: 1,
  });
  clients.push(sentinel);
  const [host, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
  const master = new Redis({ host, port: Number(port), maxRetriesPerRequest: 1 });
  clients.push(master);
  expect((await master.info('replication')).includes('role:master')).toBe(true);
  expect(await master.hget(store.keyOf(key), 'd:via')).toBe('"sentinel"');
});
