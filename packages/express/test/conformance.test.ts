import { describeAdapter } from '@sess/http-test-suite';
import { expressAdapters } from './harness.js';

for (const [name, adapter] of Object.entries(expressAdapters))
  describeAdapter(`@sess/express on ${name}`, adapter);
