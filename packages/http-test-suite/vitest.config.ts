import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'http-test-suite', include: ['test/**/*.test.ts'], hookTimeout: 60_000 },
});
