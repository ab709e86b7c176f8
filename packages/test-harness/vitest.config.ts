import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'test-harness', include: ['test/**/*.test.ts'], hookTimeout: 60_000 },
});
