/**
 * The README options tables, generated from each package's option declarations (`declareOptions`): the
 * name, what it accepts and its default come from the spec, the description from the JSDoc written on
 * the declaration. `scripts/options-docs.test.ts` fails when a README's table differs from what this
 * renders; `pnpm docs:options` rewrites them.
 *
 * A README marks a table with `<!-- options: <name> -->` … `<!-- /options -->`; {@link OPTION_TABLES}
 * says which declaration each name stands for.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One generated table: where it goes, and the declaration it shows. */
export interface OptionTable {
  /** The marker name in the README. */
  name: string;
  /** The README, from the repository root. */
  readme: string;
  /** The module declaring the options, from the repository root. */
  module: string;
  /** The exported declaration (the value `declareOptions` returned). */
  exportName: string;
  /** Options of the declaration that a table leaves to another one (a nested declaration's own table). */
  omit?: readonly string[];
}

/** Every options table of the repository. */
export const OPTION_TABLES: readonly OptionTable[] = [
  {
    name: 'createSessionManager',
    readme: 'packages/core/README.md',
    module: 'packages/core/src/manager/manager-options.ts',
    exportName: 'MANAGER_OPTIONS',
  },
  {
    name: 'createMemoryStore',
    readme: 'packages/core/README.md',
    module: 'packages/core/src/memory-store.ts',
    exportName: 'MEMORY_STORE_OPTIONS',
  },
  {
    name: 'adapter',
    readme: 'packages/core/README.md',
    module: 'packages/core/src/adapter/adapter-options.ts',
    exportName: 'ADAPTER_OPTIONS',
  },
  ...['koa', 'express', 'fastify', 'hono'].map((adapter) => ({
    name: 'session',
    readme: `packages/${adapter}/README.md`,
    module: 'packages/core/src/adapter/adapter-options.ts',
    exportName: 'ADAPTER_OPTIONS',
  })),
  {
    name: 'createCookieStore',
    readme: 'packages/store-cookie/README.md',
    module: 'packages/store-cookie/src/options.ts',
    exportName: 'COOKIE_STORE_OPTIONS',
  },
  {
    name: 'createDbStore',
    readme: 'packages/store-db/README.md',
    module: 'packages/store-db/src/options.ts',
    exportName: 'DB_STORE_OPTIONS',
  },
  {
    name: 'createDjangoDbStore',
    readme: 'packages/store-db/README.md',
    module: 'packages/store-db/src/options.ts',
    exportName: 'DJANGO_DB_STORE_OPTIONS',
  },
  {
    name: 'createFileStore',
    readme: 'packages/store-file/README.md',
    module: 'packages/store-file/src/options.ts',
    exportName: 'FILE_STORE_OPTIONS',
  },
  {
    name: 'createDjangoFileStore',
    readme: 'packages/store-file/README.md',
    module: 'packages/store-file/src/django-options.ts',
    exportName: 'DJANGO_FILE_STORE_OPTIONS',
  },
  {
    name: 'djangoFileFormat',
    readme: 'packages/store-file/README.md',
    module: 'packages/store-file/src/django-options.ts',
    exportName: 'DJANGO_FILE_FORMAT_OPTIONS',
  },
  {
    name: 'createMemcachedStore',
    readme: 'packages/store-memcached/README.md',
    module: 'packages/store-memcached/src/options.ts',
    exportName: 'MEMCACHED_STORE_OPTIONS',
  },
  {
    name: 'createRedisStore',
    readme: 'packages/store-redis/README.md',
    module: 'packages/store-redis/src/options.ts',
    exportName: 'REDIS_STORE_OPTIONS',
  },
];

/** What a spec carries at run time (see `OptionSpec` in @sess/core). */
interface SpecLike {
  expected: string;
  defaultText: string;
  unit?: string | undefined;
}

/** The JSDoc of each option of `exportName`'s `specs`, read with the TypeScript checker (spreads included). */
export function optionDocs(module: string, exportName: string): Map<string, string> {
  const file = join(ROOT, module);
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`options-docs: cannot read ${module}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exported =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exportName);
  if (!exported) throw new Error(`options-docs: ${module} exports no ${exportName}`);
  const declarationType = checker.getTypeOfSymbol(exported);
  const specs = declarationType.getProperty('specs');
  if (!specs) throw new Error(`options-docs: ${exportName} has no specs`);
  const docs = new Map<string, string>();
  for (const property of checker.getTypeOfSymbol(specs).getProperties()) {
    const text = ts
      .displayPartsToString(property.getDocumentationComment(checker))
      .replace(/\s+/g, ' ')
      .trim();
    docs.set(property.name, text);
  }
  return docs;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown table of a declaration's options. */
export function renderTable(
  specs: Readonly<Record<string, SpecLike>>,
  docs: ReadonlyMap<string, string>,
  omit: readonly string[] = [],
): string {
  const rows = Object.entries(specs)
    .filter(([name]) => !omit.includes(name))
    .map(([name, spec]) => {
      const unit = spec.unit ? ` (${spec.unit})` : '';
      const doc = docs.get(name) ?? '';
      if (doc === '') throw new Error(`options-docs: option \`${name}\` has no JSDoc on its declaration`);
      return `| \`${name}\` | ${cell(spec.defaultText)}${unit} | ${cell(spec.expected)} | ${cell(doc)} |`;
    });
  return ['| option | default | accepts | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

const MARKER = /<!-- options: ([\w-]+) -->\n([\s\S]*?)<!-- \/options -->/g;

/** The README with every marked table replaced by `tables[name]`; throws on a marker with no table. */
export function withTables(readme: string, tables: ReadonlyMap<string, string>, file: string): string {
  return readme.replace(MARKER, (_all, name: string) => {
    const table = tables.get(name);
    if (table === undefined)
      throw new Error(`options-docs: ${file} marks a table "${name}" no declaration renders`);
    return `<!-- options: ${name} -->\n${table}\n<!-- /options -->`;
  });
}

/** The table names a README marks. */
export function markedTables(readme: string): string[] {
  return [...readme.matchAll(MARKER)].map((match) => match[1] as string);
}

/** The README's text as it is on disk. */
export function readReadme(readme: string): string {
  return readFileSync(join(ROOT, readme), 'utf8');
}
