import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './options-docs.js';

/**
 * SECURITY.md proves each row with tests it names as `file › describe › it`. This checks every one it
 * names exists: the file, and each title in it (a template's `%s`, `%d`, `%j` or `${…}` standing for any
 * text). A test renamed or removed fails here instead of leaving the document pointing at nothing.
 */
const PREFIXES: Record<string, string> = {
  'rel/': 'packages/integration/test/reliability/',
  'core/': 'packages/core/test/',
  'cookie/': 'packages/store-cookie/test/',
  'http-suite/': 'packages/http-test-suite/src/',
  'store-suite/': 'packages/store-test-suite/src/',
  'int/': 'packages/integration/test/',
};

/** Every `…›…` code span of the document, with a `›`-led one completed from the one before it. */
function citations(text: string): { file: string; titles: string[] }[] {
  const found: { file: string; titles: string[] }[] = [];
  let last: { file: string; titles: string[] } | undefined;
  for (const match of text.matchAll(/``? ?([^`]*?(?:›|\.ts)[^`]*?) ?``?/g)) {
    const span = (match[1] as string).trim();
    if (!span.includes('.ts') && !span.startsWith('›')) continue;
    const parts = span.split('›').map((part) => part.trim());
    if (span.startsWith('›') && last) {
      last = { file: last.file, titles: [...last.titles.slice(0, -1), ...parts.slice(1)] };
    } else {
      const file = parts[0] as string;
      if (!/^[\w./-]+\.ts$/.test(file)) continue;
      last = { file, titles: parts.slice(1) };
    }
    found.push(last);
  }
  return found;
}

function resolve(file: string): string {
  for (const [short, long] of Object.entries(PREFIXES))
    if (file.startsWith(short)) return long + file.slice(short.length);
  return file;
}

/** A title as a pattern: a template's placeholders match any text. */
function pattern(title: string): RegExp {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/%[sdj]/g, '(?:[\\s\\S]*?)'));
}

/** The source a title may come from: the file, and for the HTTP suite's runners, the suite's sources. */
function sourcesOf(path: string): string {
  const own = readFileSync(join(ROOT, path), 'utf8').replace(/\$\{[^}]*\}/g, '%s');
  if (!path.includes('/http-suite-')) return own;
  const suite = join(ROOT, PREFIXES['http-suite/'] as string);
  return [own, ...readdirSync(suite).map((name) => readFileSync(join(suite, name), 'utf8'))].join('\n');
}

describe('SECURITY.md cites tests that exist', () => {
  const cited = citations(readFileSync(join(ROOT, 'SECURITY.md'), 'utf8'));

  it('names tests at all (the parser finds them)', () => {
    expect(cited.length).toBeGreaterThan(100);
  });

  it('each cited file exists and holds every title it is cited with', () => {
    const missing: string[] = [];
    for (const { file, titles } of cited) {
      const path = resolve(file);
      if (!existsSync(join(ROOT, path))) {
        missing.push(`${file}: no such file`);
        continue;
      }
      const source = sourcesOf(path);
      for (const title of titles) {
        if (!pattern(title.replace(/\$\{[^}]*\}/g, '%s')).test(source)) missing.push(`${file} › ${title}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
