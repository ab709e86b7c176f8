import type { AdapterUnderTest } from '@sess/http-test-suite';
import { expressAdapters } from '../../../express/test/harness.js';
import { koaAdapters } from '../../../koa/test/harness.js';

/**
 * The adapters' own HTTP-suite harnesses on every major they support (Koa 3, Koa 2, Express 5, Express 4),
 * as `[name, adapter]` pairs.
 */
export const suiteAdapters: [string, AdapterUnderTest][] = [
  ...Object.entries(koaAdapters).map(([name, adapter]): [string, AdapterUnderTest] => [
    `@sess/koa on ${name}`,
    adapter,
  ]),
  ...Object.entries(expressAdapters).map(([name, adapter]): [string, AdapterUnderTest] => [
    `@sess/express on ${name}`,
    adapter,
  ]),
];
