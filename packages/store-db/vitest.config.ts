import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'store-db', include: ['test/**/*.test.ts'], hookTimeout: 60_000 },
});
