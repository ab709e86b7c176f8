import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every export of every entry point is a decision: the names are pinned here, so adding or removing one
 * changes this file in the same commit. `SESS_WRITE_EXPORTS=1` rewrites the list after a deliberate change.
 */
const here = dirname(fileURLToPath(import.meta.url));
const ENTRIES = {
  '@sess/core': 'src/index.ts',
  '@sess/core/store': 'src/store/index.ts',
  '@sess/core/adapter': 'src/adapter/index.ts',
  '@sess/core/codecs': 'src/codecs/index.ts',
  '@sess/core/testing': 'src/testing.ts',
} as const;
const LIST = join(here, 'fixtures', 'exports.json');

/** The names an entry exports, each marked `value` or `type`, sorted. */
function exportsOf(entry: string): string[] {
  const file = join(here, '..', entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read ${entry}`);
  return checker
    .getExportsOfModule(symbol)
    .map((exported) => {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const value = (target.flags & ts.SymbolFlags.Value) !== 0 && !isTypeOnly(exported);
      return `${exported.name} (${value ? 'value' : 'type'})`;
    })
    .sort();
}

/** `export type { X }` and `export { type X }` re-export only the type side, whatever X is. */
function isTypeOnly(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
  );
}

describe('the public surface of @sess/core', () => {
  const actual = Object.fromEntries(Object.entries(ENTRIES).map(([name, entry]) => [name, exportsOf(entry)]));

  it('each entry point exports exactly the pinned names', () => {
    if (process.env.SESS_WRITE_EXPORTS === '1') writeFileSync(LIST, `${JSON.stringify(actual, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(LIST, 'utf8')) as Record<string, string[]>;
    expect(actual).toEqual(pinned);
  }, 60_000);

  it('the root stays what an app needs: small', () => {
    const root = actual['@sess/core'] ?? [];
    expect(root.filter((name) => name.endsWith('(value)')).length).toBeLessThanOrEqual(20);
  });
});
