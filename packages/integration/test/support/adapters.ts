import type { AdapterUnderTest } from '@sess/http-test-suite';
import { FRAMEWORKS, frameworkEntry } from '../../src/index.js';

/**
 * The adapters' own HTTP-suite harnesses on every framework major of the package's list, as
 * `[name, adapter]` pairs named `@sess/<adapter> on <major>`.
 */
export const suiteAdapters: [string, AdapterUnderTest][] = FRAMEWORKS.map((framework) => {
  const entry = frameworkEntry(framework);
  return [`@sess/${entry.adapter} on ${entry.name}`, entry.suiteHarness];
});
