import { describe } from 'vitest';
import { adoptionTests } from './adoption.js';
import { type SuiteContext, suiteContext } from './context.js';
import { cookieAttributeTests } from './cookie-attributes.js';
import { failureTests } from './failures.js';
import { lifecycleTests } from './lifecycle.js';
import { optionTests } from './options.js';
import { persistenceTests } from './persistence.js';
import { policyTests } from './policy.js';
import { setCookieTests } from './set-cookie.js';
import { tokenHeaderTests } from './token-header.js';
import type { AdapterUnderTest, HttpSuiteOptions } from './types.js';

/** Every concern of the suite, in the order `describeAdapter` runs them. */
export const concerns: readonly ((context: SuiteContext) => void)[] = [
  persistenceTests,
  adoptionTests,
  setCookieTests,
  lifecycleTests,
  cookieAttributeTests,
  failureTests,
  policyTests,
  tokenHeaderTests,
  optionTests,
];

/**
 * Declares the HTTP conformance suite for one adapter on one framework major, under
 * `describe(name)`: every test starts a real server on port 0 through `adapter.start` and talks to it
 * with `fetch`. Storage defaults to a fresh core MemoryStore per test; engines pass `options.storage`.
 */
export function describeAdapter(
  name: string,
  adapter: AdapterUnderTest,
  options: HttpSuiteOptions = {},
): void {
  const context = suiteContext(adapter, options);
  describe(`${name} over ${context.storage.name}`, () => {
    for (const concern of concerns) concern(context);
  });
}
