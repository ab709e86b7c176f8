import { defineConfig } from 'tsup';
import { base } from '../../tsup.config.base.js';

// Splitting also for CJS, so `@sess/core/testing` shares core's classes instead of bundling a second copy.
export default defineConfig({
  ...base,
  splitting: true,
  entry: [
    'src/index.ts',
    'src/store/index.ts',
    'src/adapter/index.ts',
    'src/codecs/index.ts',
    'src/testing.ts',
  ],
});
