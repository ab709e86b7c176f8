import { describeAdapter } from '@sess/http-test-suite';
import { afterAll } from 'vitest';
import { memcachedEngine, suiteStorage } from '../src/index.js';
import { suiteAdapters } from './support/adapters.js';

// The shared HTTP suite through every adapter major over @sess/store-memcached over the run's two servers (a prefix per test).
const engine = memcachedEngine();
afterAll(() => engine.close());

for (const [name, adapter] of suiteAdapters)
  describeAdapter(name, adapter, { storage: suiteStorage(engine) });
