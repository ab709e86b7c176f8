import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'django-interop', include: ['test/**/*.test.ts'], hookTimeout: 60_000 },
});
