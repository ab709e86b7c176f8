import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'locallibrary', include: ['test/**/*.test.ts'], hookTimeout: 60_000, testTimeout: 30_000 },
});
