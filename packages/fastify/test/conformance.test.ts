import { describeAdapter } from '@sess/http-test-suite';
import { fastifyAdapter } from './harness.js';

describeAdapter('@sess/fastify on Fastify 5', fastifyAdapter);
