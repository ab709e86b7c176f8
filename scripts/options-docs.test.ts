import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  markedTables,
  OPTION_TABLES,
  optionDocs,
  ROOT,
  readReadme,
  renderTable,
  withTables,
} from './options-docs.js';

/** `SESS_WRITE_DOCS=1` (`pnpm docs:options`) rewrites the READMEs instead of checking them. */
const write = process.env.SESS_WRITE_DOCS === '1';

async function tablesOf(readme: string): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const table of OPTION_TABLES.filter((t) => t.readme === readme)) {
    const module = (await import(join(ROOT, table.module))) as Record<string, { specs: never }>;
    const declaration = module[table.exportName];
    if (!declaration) throw new Error(`${table.module} exports no ${table.exportName}`);
    tables.set(
      table.name,
      renderTable(declaration.specs, optionDocs(table.module, table.exportName), table.omit),
    );
  }
  return tables;
}

describe('README options tables are the declarations', () => {
  // Adapters that are not in the repository yet have no README to check.
  const readmes = [...new Set(OPTION_TABLES.map((table) => table.readme))].filter((readme) =>
    existsSync(join(ROOT, readme)),
  );

  it.each(readmes)(
    '%s',
    async (readme) => {
      const text = readReadme(readme);
      const tables = await tablesOf(readme);
      expect(markedTables(text).sort(), 'every declared table is marked in the README').toEqual(
        [...tables.keys()].sort(),
      );
      const rendered = withTables(text, tables, readme);
      if (write) writeFileSync(join(ROOT, readme), rendered);
      else expect(text, `run \`pnpm docs:options\` to regenerate ${readme}`).toBe(rendered);
    },
    60_000,
  );

  it('every option has a description', () => {
    for (const table of OPTION_TABLES) {
      const docs = optionDocs(table.module, table.exportName);
      for (const [name, doc] of docs) expect(doc, `${table.exportName}.${name}`).not.toBe('');
    }
  }, 60_000);
});
