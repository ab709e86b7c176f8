import { describeAdapter } from '@sess/http-test-suite';
import { afterAll } from 'vitest';
import { fileEngine, suiteStorage } from '../src/index.js';
import { suiteAdapters } from './support/adapters.js';

// The shared HTTP suite through every adapter major over @sess/store-file (a directory of this file's own).
const engine = await fileEngine();
afterAll(() => engine.close());

for (const [name, adapter] of suiteAdapters)
  describeAdapter(name, adapter, { storage: suiteStorage(engine) });
