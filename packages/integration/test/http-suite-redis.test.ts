import { describeAdapter } from '@sess/http-test-suite';
import { afterAll } from 'vitest';
import { redisEngine, suiteStorage } from '../src/index.js';
import { suiteAdapters } from './support/adapters.js';

// The shared HTTP suite through every adapter major over @sess/store-redis on the run's single server (a prefix per test).
const engine = redisEngine();
afterAll(() => engine.close());

for (const [name, adapter] of suiteAdapters)
  describeAdapter(name, adapter, { storage: suiteStorage(engine) });
