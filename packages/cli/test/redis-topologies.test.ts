import { createSessionManager } from '@sess/core';
import { createRedisStore } from '@sess/store-redis';
import { redisClusterNodes, redisSentinels } from '@sess/test-harness';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { handlesOf, logIn } from './owners-support.js';
import { handleSecret, runCli, unique, writeConfig } from './support.js';

const cluster = new Cluster(redisClusterNodes(), { redisOptions: { maxRetriesPerRequest: 1 } });
const { sentinels, name } = redisSentinels();
const sentinelClient = new Redis({ sentinels, name, maxRetriesPerRequest: 1 });
afterAll(async () => {
  await cluster.quit();
  await sentinelClient.quit();
});

/** Writes `config` as a config module and returns its path. */
const configFile = (config: Record<string, unknown>): Promise<string> =>
  writeConfig(`export default ${JSON.stringify(config)};\n`);

describe('list and revoke on other Redis topologies, configured in the config file', () => {
  it('a Redis Cluster (`cluster`: the nodes)', async () => {
    const prefix = `${unique('cli:')}:`;
    const secret = handleSecret();
    const manager = createSessionManager({
      store: createRedisStore(cluster, { prefix }),
      handleSecret: secret,
    });
    const owner = unique('user-');
    const handles = await logIn(manager, owner, 3);
    const file = await configFile({
      engine: 'redis',
      cluster: redisClusterNodes(),
      prefix,
      handleSecret: secret,
    });

    const listed = await runCli(['list', '--config', file, '--owner', owner, '--json']);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { handle: string }[]).map((r) => r.handle)).toEqual(handles);
    const revoked = await runCli([
      'revoke',
      '--config',
      file,
      '--owner',
      owner,
      '--except',
      handles[0] as string,
    ]);
    expect(revoked).toMatchObject({
      code: 0,
      stdout: `revoked 2 sessions of owner ${owner}, kept ${handles[0]}\n`,
    });
    expect(await handlesOf(manager, owner)).toEqual([handles[0]]);
  });

  it('a Sentinel group (`connection`: ioredis sentinels and master name)', async () => {
    const prefix = `${unique('cli:')}:`;
    const manager = createSessionManager({ store: createRedisStore(sentinelClient, { prefix }) });
    const owner = unique('user-');
    await logIn(manager, owner, 2);
    const file = await configFile({ engine: 'redis', connection: { sentinels, name }, prefix });

    const revoked = await runCli(['revoke', '--config', file, '--owner', owner]);
    expect(revoked).toEqual({ code: 0, stdout: `revoked 2 sessions of owner ${owner}\n`, stderr: '' });
    expect(await handlesOf(manager, owner)).toEqual([]);
  });
});
