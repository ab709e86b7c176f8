import { afterAll, describe, expect, it } from 'vitest';
import { closedPort, handleSecret, runCli, silentServer } from './support.js';

const silent = await silentServer();
afterAll(() => silent.close());

describe('a store that is down or hung: exit 1 with the store error, within --timeout-ms', () => {
  it('PostgreSQL refusing connections', async () => {
    const url = `postgres://app:pw@127.0.0.1:${await closedPort()}/app`;
    const result = await runCli(['clearsessions', '--engine', 'db', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sess clearsessions: \[@sess\/store-db\] clearExpired failed: connect ECONNREFUSED/,
    );
    expect(result.stderr).not.toContain('Usage');
  });

  it('PostgreSQL hung (connection accepted, never answered), also for --dry-run', async () => {
    const url = `postgres://app@127.0.0.1:${silent.port}/app`;
    for (const extra of [[], ['--dry-run']]) {
      const result = await runCli([
        'clearsessions',
        '--engine',
        'db',
        '--url',
        url,
        '--timeout-ms',
        '300',
        ...extra,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^sess clearsessions: \[@sess\/store-db\] .* failed: .*timeout/i);
    }
  });

  it('PostgreSQL down during list and revoke', async () => {
    const url = `postgres://app@127.0.0.1:${await closedPort()}/app`;
    const env = { SESS_HANDLE_SECRET: handleSecret() };
    const listed = await runCli(['list', '--engine', 'db', '--url', url, '--owner', '7'], { env });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(
      /^sess list: \[@sess\/store-db\] owners\.list failed: connect ECONNREFUSED/,
    );
    const revoked = await runCli(['revoke', '--engine', 'db', '--url', url, '--owner', '7'], { env });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^sess revoke: \[@sess\/store-db\] .*failed: connect ECONNREFUSED/);
  });

  it('Redis refusing connections', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['revoke', '--engine', 'redis', '--url', url, '--owner', '7']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sess revoke: [@sess/store-redis] connect to ${url} failed: connect ECONNREFUSED 127.0.0.1:${new URL(url).port}\n`,
    );
  });

  it('Redis hung', async () => {
    const url = `redis://127.0.0.1:${silent.port}`;
    const result = await runCli(
      ['list', '--engine', 'redis', '--url', url, '--owner', '7', '--timeout-ms', '300'],
      {
        env: { SESS_HANDLE_SECRET: handleSecret() },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sess list: \[@sess\/store-redis\] connect to redis:\/\/127\.0\.0\.1:\d+ failed: /,
    );
  });
});
