import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'integration', include: ['test/**/*.test.ts'], hookTimeout: 60_000, testTimeout: 60_000 },
});
