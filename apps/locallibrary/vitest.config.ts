import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'locallibrary', include: ['test/**/*.test.ts'], testTimeout: 30000 },
});
