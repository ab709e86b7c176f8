import { describeAdapter } from '@sess/http-test-suite';
import { koaAdapters } from './harness.js';

for (const [name, adapter] of Object.entries(koaAdapters)) describeAdapter(`@sess/koa on ${name}`, adapter);
