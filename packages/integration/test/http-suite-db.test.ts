import { describeAdapter } from '@sess/http-test-suite';
import { afterAll } from 'vitest';
import { dbEngine, suiteStorage } from '../src/index.js';
import { suiteAdapters } from './support/adapters.js';

// The shared HTTP suite through every adapter major over @sess/store-db (a database of this file's own, a table per test).
const engine = await dbEngine();
afterAll(() => engine.close());

for (const [name, adapter] of suiteAdapters)
  describeAdapter(name, adapter, { storage: suiteStorage(engine) });
