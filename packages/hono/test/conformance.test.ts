import { describeAdapter } from '@sess/http-test-suite';
import { honoAdapters } from './harness.js';

for (const [name, adapter] of Object.entries(honoAdapters)) describeAdapter(`@sess/hono: ${name}`, adapter);
