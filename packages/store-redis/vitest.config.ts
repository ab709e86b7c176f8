import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'store-redis', include: ['test/**/*.test.ts'], hookTimeout: 60_000 },
});
