import { BEHAVIOURS } from './behaviours.js';
import { type Reference, TABLE_ADAPTERS, TABLE_ENGINES } from './model.js';

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** `test/races.test.ts` as is; `../koa/test/x.ts` shown as `koa/test/x.ts`. */
const shown = (file: string): string => (file.startsWith('../') ? file.slice(3) : file);

function reference(ref: Reference): string {
  switch (ref.kind) {
    case 'test':
      return `[\`${shown(ref.file)}\`](${ref.file}) › ${escapeHtml(ref.describe)} › “${escapeHtml(ref.title)}”`;
    case 'capability':
      return `capability \`${ref.name}: ${ref.value}\`: ${escapeHtml(ref.statement)}`;
    case 'missing':
      return `**MISSING**: ${escapeHtml(ref.statement)}`;
  }
}

/** What kind of evidence a cell holds, for the overview. */
function kind(refs: readonly Reference[]): string {
  if (refs.some((ref) => ref.kind === 'missing')) return '**MISSING**';
  if (refs.some((ref) => ref.kind === 'capability')) return 'capability';
  return 'test';
}

const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replaceAll(' ', '-');

/** BEHAVIOUR.md, generated from the table in src/behaviour (run `npx tsx packages/integration/src/behaviour/write.ts`). */
export function renderBehaviourTable(): string {
  const lines: string[] = [
    '# Behaviour × engine × adapter',
    '',
    '<!-- Generated from packages/integration/src/behaviour: edit there, then run',
    '     `npx tsx packages/integration/src/behaviour/write.ts`. test/behaviour-table.test.ts fails when this file',
    '     is out of date, when a cited test title is not in its file, or when a cited capability is not what the',
    '     engine declares. -->',
    '',
    'Every cell names the tests that prove the behaviour for that engine through that adapter (file › describe',
    '› test title), or the capability the engine declares instead (checked against the backend it builds), or',
    'says **MISSING**: a defect found by these tests and reported, not a declared limit.',
    '',
    '- **koa** runs Koa 3 and Koa 2, **express** runs Express 5 and Express 4, except where the describe names',
    '  one major (timing tests: Koa 3 and Express 5; outage tests: both adapters inside one test).',
    "- Engines: `memory` core's MemoryStore, `file` @sess/store-file, `cookie` @sess/store-cookie (sealed), `db`",
    '  @sess/store-db, `db (Django mode)` its `createDjangoDbStore`, `redis` @sess/store-redis (single server;',
    '  the HTTP suite, races and parallel requests also run on the Cluster), `memcached` @sess/store-memcached.',
    '- Every test runs against real servers from @sess/test-harness; what reached storage is read around the',
    "  store (SQL, HGETALL, a second memcached client, the file, the memory store's `peek`).",
    '',
    '## Overview',
    '',
    `| behaviour | ${TABLE_ENGINES.map((engine) => engine.heading).join(' | ')} |`,
    `|---|${TABLE_ENGINES.map(() => '---').join('|')}|`,
  ];
  for (const behaviour of BEHAVIOURS) {
    const cells = TABLE_ENGINES.map((engine) =>
      TABLE_ADAPTERS.map((adapter) => kind(behaviour.cell(engine.id, adapter))).join(' · '),
    );
    lines.push(`| [${behaviour.title}](#${slug(behaviour.title)}) | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Each overview cell reads koa · express.', '');
  for (const behaviour of BEHAVIOURS) {
    lines.push(
      `## ${behaviour.title}`,
      '',
      escapeHtml(behaviour.meaning),
      '',
      '| engine | koa | express |',
      '|---|---|---|',
    );
    for (const engine of TABLE_ENGINES) {
      const cells = TABLE_ADAPTERS.map((adapter) =>
        behaviour.cell(engine.id, adapter).map(reference).join('<br>'),
      );
      lines.push(`| ${engine.heading} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
