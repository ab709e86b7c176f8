import { describe, expect, it } from 'vitest';
import { findBinary, missingBinaries, missingBinariesMessage } from '../src/binaries.js';

describe('missing binaries', () => {
  it('finds the installed servers', () => {
    expect(missingBinaries(['postgres', 'redis', 'sentinel', 'cluster', 'memcached'])).toEqual([]);
    expect(findBinary('postgres')).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin\/postgres$/);
  });

  it('names the Debian packages under CI', () => {
    const kinds = ['postgres', 'cluster', 'memcached'] as const;
    const missing = missingBinaries(kinds, (name) => (name === 'redis-server' ? '/x' : undefined));
    expect(missing).toEqual(['initdb', 'postgres', 'redis-cli', 'memcached']);
    const message = missingBinariesMessage(kinds, missing, true);
    expect(message).toContain('install the Debian packages postgresql redis-tools memcached');
    expect(message).toContain('install-servers.sh');
    expect(message).not.toContain('DATABASE_URL');
  });

  it('says which env var to set instead outside CI', () => {
    const message = missingBinariesMessage(['redis', 'sentinel'], ['redis-server'], false);
    expect(message).toContain('Debian package redis-server');
    expect(message).toContain('set REDIS_URL, REDIS_SENTINELS');
  });
});
