import { readFileSync } from 'node:fs';
import type { OptionSpecs, OptionsDeclaration } from '@sess/core/store';
import { describe, expect, it } from 'vitest';
import { DJANGO_FILE_FORMAT_OPTIONS, DJANGO_FILE_STORE_OPTIONS } from '../src/django-options.js';
import { FILE_STORE_OPTIONS } from '../src/options.js';

/**
 * Each README options table (between `<!-- options: <factory> -->` and `<!-- /options -->`) lists exactly
 * the options its factory declares, in the declared order, with the declared defaults (issue 13).
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the table of `factory`: each option's name and its default, backticks removed. */
function table(factory: string): [name: string, defaultText: string][] {
  const start = readme.indexOf(`<!-- options: ${factory} -->`);
  const end = readme.indexOf('<!-- /options -->', start);
  expect(start, `the options table of ${factory}`).toBeGreaterThanOrEqual(0);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [name = '', fallback = ''] = line.split(' | ');
      return [name.replace(/^\| `|`$/g, ''), fallback.replaceAll('`', '')];
    });
}

const declared = (options: OptionsDeclaration<OptionSpecs>): [string, string][] =>
  Object.entries(options.specs).map(([name, spec]) => [name, spec.defaultText.replaceAll('`', '')]);

describe('README options tables', () => {
  it.each([
    ['createFileStore', FILE_STORE_OPTIONS],
    ['createDjangoFileStore', DJANGO_FILE_STORE_OPTIONS],
    ['djangoFileFormat', DJANGO_FILE_FORMAT_OPTIONS],
  ] as [string, OptionsDeclaration<OptionSpecs>][])(
    '%s: the declared options and defaults',
    (factory, options) => {
      expect(table(factory)).toEqual(declared(options));
    },
  );
});
