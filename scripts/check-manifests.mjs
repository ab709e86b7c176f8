#!/usr/bin/env node
/**
 * Checks what publint and attw do not: the packaging rules every public package of this repository
 * follows (CONVENTIONS.md). Runs before `turbo run lint:package`; needs no build.
 *
 * - `"type": "module"`, `sideEffects: false`, `files` containing `dist`, `engines.node`, a license;
 * - an exports map whose every entry point has `import` and `require` conditions, each listing
 *   `types` first (ESM-only entry points, with `types` first and no `require`, are allowed);
 * - `@sess/core` as a peer (`workspace:>=0.0.0 <1.0.0`, see CONTRIBUTING.md) and a `workspace:*`
 *   devDependency of every other package;
 * - a README.md with at least one table (the options table);
 * - `build`, `typecheck` and `lint:package` scripts (only `typecheck` for private workspaces), the last
 *   running `publint --strict` and the full `attw --pack .` (a `./testing`-style subpath resolves for
 *   node10 through `typesVersions`, not by hiding node10 behind `--profile node16`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
let checked = 0;

/**
 * The peer range on core while it is 0.x: every 0.x core satisfies it, so a core minor release does not
 * force a major release of every engine and adapter (a `^` range on 0.x would, as changesets treats an
 * out-of-range peer as a breaking change). Raise the floor when a package needs a newer core.
 */
const CORE_PEER_RANGE = 'workspace:>=0.0.0 <1.0.0';

/** Every workspace folder with a package.json: packages/* and apps/*. */
const workspaces = ['packages', 'apps'].flatMap((parent) =>
  existsSync(join(root, parent))
    ? readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
        .map((entry) => ({ parent, name: entry.name, dir: join(root, parent, entry.name) }))
    : [],
);

for (const { parent, name, dir } of workspaces) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const report = (message) => problems.push(`${pkg.name} (${parent}/${name}): ${message}`);
  // `pnpm typecheck` covers every workspace, private ones included.
  if (typeof pkg.scripts?.typecheck !== 'string') report('has no "typecheck" script');
  if (pkg.private === true) continue;
  if (parent !== 'packages') report('public packages live in packages/');
  checked += 1;
  for (const script of ['build', 'lint:package']) {
    if (typeof pkg.scripts?.[script] !== 'string') report(`has no "${script}" script`);
  }
  const lintPackage = pkg.scripts?.['lint:package'] ?? '';
  if (!lintPackage.includes('publint --strict') || !lintPackage.includes('attw --pack .')) {
    report('"lint:package" should run `publint --strict && attw --pack .`');
  }
  // node16 hides node10 resolution failures: a subpath gets `typesVersions` instead (see @sess/core).
  if (/--profile[ =]node16/.test(lintPackage))
    report('"lint:package" should not pass `--profile node16` to attw');

  if (pkg.name !== `@sess/${name}`) report(`name should be @sess/${name}, the folder's name`);
  if (pkg.type !== 'module') report('"type" should be "module"');
  if (pkg.sideEffects !== false) report('"sideEffects" should be false');
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist')) report('"files" should contain "dist"');
  if (typeof pkg.engines?.node !== 'string') report('"engines.node" is missing');
  if (typeof pkg.license !== 'string') report('"license" is missing');

  const exportsMap = pkg.exports;
  if (typeof exportsMap !== 'object' || exportsMap === null || !('.' in exportsMap)) {
    report('"exports" should be a map with a "." entry');
  } else {
    for (const [subpath, target] of Object.entries(exportsMap)) {
      if (typeof target === 'string') {
        if (!target.endsWith('.json')) report(`exports["${subpath}"] should have import/require conditions`);
        continue;
      }
      const conditions = Object.keys(target ?? {});
      if (!conditions.includes('import')) report(`exports["${subpath}"] has no "import" condition`);
      for (const condition of ['import', 'require']) {
        const branch = target?.[condition];
        if (branch === undefined) continue;
        if (typeof branch !== 'object' || Object.keys(branch)[0] !== 'types') {
          report(`exports["${subpath}"].${condition} should list "types" first`);
        }
      }
    }
  }

  if (pkg.name !== '@sess/core') {
    if (pkg.peerDependencies?.['@sess/core'] !== CORE_PEER_RANGE) {
      report(`"@sess/core" should be a peerDependency with the range "${CORE_PEER_RANGE}"`);
    }
    if (pkg.devDependencies?.['@sess/core'] !== 'workspace:*') {
      report('"@sess/core" should be a devDependency with the range "workspace:*"');
    }
    if (pkg.dependencies?.['@sess/core'] !== undefined) report('"@sess/core" must not be a dependency');
  }

  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) report('README.md is missing');
  else if (!/^\|.*\|\s*$/m.test(readFileSync(readme, 'utf8')))
    report('README.md has no table (options table)');
}

if (problems.length > 0) {
  console.error(`check-manifests: ${problems.length} problem(s) in ${checked} public packages`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-manifests: ${checked} public packages follow the packaging rules`);
