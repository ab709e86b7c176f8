import { defineConfig } from 'tsup';
import { base } from '../../tsup.config.base.js';

// ESM only: vitest refuses to be required from CommonJS, so a CJS build of the suite could never run.
export default defineConfig({ ...base, format: ['esm'], entry: ['src/index.ts'] });
