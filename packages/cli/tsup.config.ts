import { defineConfig } from 'tsup';
import { base } from '../../tsup.config.base.js';

// `cli` is the `sess` binary (dist/cli.js, ESM, shebang kept by tsup); `index` is the programmatic API.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/cli.ts'] });
