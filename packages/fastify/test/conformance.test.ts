import { describeAdapter } from '@sess/http-test-suite';
import { fastifyAdapters } from './harness.js';

for (const [name, adapter] of Object.entries(fastifyAdapters))
  describeAdapter(`@sess/fastify on ${name}`, adapter);
