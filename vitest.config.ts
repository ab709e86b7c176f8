import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'scripts'],
    // Root-level globalSetup runs once for the whole run (not per project): it starts PostgreSQL, Redis
    // (single, Sentinel, Cluster) and memcached for every engine's tests. SESS_HARNESS=off skips it
    // (not with CI=true). See packages/test-harness/README.md.
    globalSetup: ['packages/test-harness/src/global-setup.ts'],
  },
});
