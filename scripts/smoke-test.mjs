#!/usr/bin/env node
/**
 * Consumer smoke test. Passing publint and attw proves the package metadata and the type entry points;
 * this proves the packages work for someone who installs them from a registry:
 *
 * 1. `pnpm pack` every public package that has a `dist/` (it builds nothing: run `pnpm build` first),
 * 2. install the tarballs with npm into a throwaway ESM app and a throwaway CommonJS app
 *    (npm also installs the packages' peers, exactly as it would for a user),
 * 3. in each app, import (ESM) or require (CJS) every package and use it,
 * 4. type-check a small TypeScript consumer in each app under `module: nodenext`.
 *
 * Usage: node scripts/smoke-test.mjs [--keep]   (--keep leaves the temp dir for inspection)
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

/** Runs a command, echoing it; output goes to our stdout/stderr. */
function run(command, args, cwd) {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const packagesDir = join(root, 'packages');
const publicPackages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
  .map((entry) => ({
    dir: join(packagesDir, entry.name),
    manifest: readJson(join(packagesDir, entry.name, 'package.json')),
  }))
  .filter(({ manifest }) => manifest.private !== true);

const built = publicPackages.filter(({ dir }) => existsSync(join(dir, 'dist')));
const unbuilt = publicPackages.filter(({ dir }) => !existsSync(join(dir, 'dist')));
console.log(`smoke-testing ${built.length} of ${publicPackages.length} public packages:`);
for (const { manifest } of built) console.log(`  + ${manifest.name}`);
for (const { manifest } of unbuilt) console.log(`  - ${manifest.name} (no dist/: not built, not tested)`);
if (!built.some(({ manifest }) => manifest.name === '@sess/core')) {
  console.error('@sess/core has no dist/: run `pnpm build` first.');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'sess-smoke-'));
const names = built.map(({ manifest }) => manifest.name);

/** Whether a package offers CommonJS at its root: a `require` condition, or a `.cjs` default. */
const hasCjsEntry = ({ exports: map }) => {
  const root = typeof map === 'object' && map !== null && '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root.endsWith('.cjs');
  return (
    typeof root === 'object' && root !== null && ('require' in root || String(root.default).endsWith('.cjs'))
  );
};
const esmOnly = built.filter(({ manifest }) => !hasCjsEntry(manifest)).map(({ manifest }) => manifest.name);
for (const name of esmOnly) console.log(`  ${name} declares no CommonJS entry: imported by the ESM app only`);

/**
 * The consumer's code, identical for both apps; only how a package is loaded differs (`import()` in
 * the ESM app, `require()` in the CommonJS app). Every package is used, not only loaded.
 */
const consumerBody = `
const assert = (condition, message) => {
  if (!condition) throw new Error(message);
};

/** A CommonJS package's function, whether it arrives through import() (as default) or require(). */
const callable = (mod) => (typeof mod === 'function' ? mod : mod.default);

/** Saves a value through a manager, then loads it back with the cookies the commit set. */
async function roundTrip(label, manager) {
  const first = manager.open({ cookieHeader: null });
  (await first.load()).set('visits', 1);
  const result = await first.commit(200);
  assert(result.setCookie.length > 0, label + ': no Set-Cookie after setting a value: ' + JSON.stringify(result));
  const cookies = result.setCookie.map((header) => header.slice(0, header.indexOf(';'))).join('; ');
  const second = manager.open({ cookieHeader: cookies });
  assert((await second.load()).get('visits') === 1, label + ': the saved session did not load back');
}

/** Serves an app on a loopback port for one request; returns its status and Set-Cookie headers. */
async function request(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch('http://127.0.0.1:' + server.address().port + '/');
    await response.text();
    return { status: response.status, setCookie: response.headers.getSetCookie() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function checkAdapterResponse(label, response) {
  assert(response.status === 200, label + ': status ' + response.status);
  assert(response.setCookie.some((c) => c.startsWith('sessionid=')), label + ': no session cookie: ' + response.setCookie);
}

/** What each package must do for a consumer; a package not listed must export a create* factory. */
const uses = {
  async '@sess/core'(core) {
    const manager = core.createSessionManager({ store: core.createMemoryStore() });
    await roundTrip('@sess/core', manager);
    const testing = await load('@sess/core/testing');
    assert(typeof testing.createTestClock === 'function', '@sess/core/testing: createTestClock is missing');
    const header = await testing.cookieHeaderFor(manager, { user: 'ada' });
    const again = manager.open({ cookieHeader: header });
    assert((await again.load()).get('user') === 'ada', '@sess/core/testing: cookieHeaderFor did not round-trip');
    await manager.close();
  },
  async '@sess/store-file'(engine) {
    const core = await load('@sess/core');
    const directory = mkdtempSync(join(tmpdir(), 'sess-smoke-files-'));
    try {
      const manager = core.createSessionManager({ store: engine.createFileStore({ directory }) });
      await roundTrip('@sess/store-file', manager);
      await manager.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
  async '@sess/store-cookie'(engine) {
    const core = await load('@sess/core');
    const store = engine.createCookieStore({ secretKey: 'smoke-test-secret-'.repeat(4) });
    await roundTrip('@sess/store-cookie', core.createSessionManager({ store }));
  },
  async '@sess/express'(adapter) {
    const core = await load('@sess/core');
    const app = callable(await load('express'))();
    app.use(adapter.session({ store: core.createMemoryStore() }));
    app.get('/', (req, res, next) => {
      req.getSession().then((session) => {
        session.set('visits', 1);
        res.send('ok');
      }, next);
    });
    await checkAdapterResponse('@sess/express', await request(app));
  },
  async '@sess/koa'(adapter) {
    const core = await load('@sess/core');
    const Koa = callable(await load('koa'));
    const app = new Koa();
    app.use(adapter.session({ store: core.createMemoryStore() }));
    app.use(async (ctx) => {
      (await ctx.getSession()).set('visits', 1);
      ctx.body = 'ok';
    });
    await checkAdapterResponse('@sess/koa', await request(app.callback()));
  },
  async '@sess/fastify'(adapter) {
    const core = await load('@sess/core');
    const fastify = callable(await load('fastify'));
    const app = fastify();
    app.register(adapter.session, { store: core.createMemoryStore() });
    app.get('/', async (request) => {
      (await request.getSession()).set('visits', 1);
      return 'ok';
    });
    await app.ready();
    await checkAdapterResponse('@sess/fastify', await request((req, res) => app.routing(req, res)));
    await app.close();
  },
  async '@sess/hono'(adapter) {
    const core = await load('@sess/core');
    const { Hono } = await load('hono');
    const app = new Hono().use(adapter.session({ store: core.createMemoryStore() }));
    app.get('/', async (c) => {
      (await c.var.getSession()).set('visits', 1);
      return c.text('ok');
    });
    // A fetch handler: asked with a web Request, no server needed.
    const response = await app.request('/');
    await response.text();
    checkAdapterResponse('@sess/hono', { status: response.status, setCookie: response.headers.getSetCookie() });
  },
  async '@sess/cli'(cli) {
    const out = [];
    const io = { stdout: { write: (t) => out.push(t) }, stderr: { write: (t) => out.push(t) } };
    assert((await cli.run(['--help'], io)) === 0, '@sess/cli: --help did not exit 0: ' + out.join(''));
    const directory = mkdtempSync(join(tmpdir(), 'sess-smoke-cli-'));
    try {
      const code = await cli.run(['clearsessions', '--engine', 'file', '--directory', directory], io);
      assert(code === 0, '@sess/cli: clearsessions on an empty file store exited ' + code + ': ' + out.join(''));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
  async '@sess/store-test-suite'(suite) {
    assert(typeof suite.describeSessionStore === 'function', 'describeSessionStore is not a function');
  },
};

/** Engines that need a server (PostgreSQL, Redis, Memcached): their factory must be there. */
async function useFactory(mod, name) {
  const factories = Object.keys(mod).filter((key) => /^create[A-Z]/.test(key));
  assert(factories.length > 0, name + ' exports no create* factory; exports: ' + Object.keys(mod).join(', '));
  for (const key of factories) assert(typeof mod[key] === 'function', name + ': ' + key + ' is not a function');
}

async function main() {
  const [names, reportPath] = [JSON.parse(process.argv[2]), process.argv[3]];
  const exported = {};
  for (const name of names) {
    const mod = await load(name);
    exported[name] = Object.keys(mod).filter((key) => key !== 'default' && key !== '__esModule').sort();
    await (uses[name] ?? useFactory)(mod, name);
    console.log('  ok ' + name + ' (' + exported[name].length + ' exports)');
  }
  writeFileSync(reportPath, JSON.stringify(exported));
}
`;

const esmPrelude = `import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const load = (name) => import(name);
`;
const cjsPrelude = `'use strict';
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const load = async (name) => require(name);
`;

const apps = {
  esm: { type: 'module', file: 'smoke.mjs', source: `${esmPrelude}${consumerBody}\nawait main();\n` },
  cjs: {
    type: 'commonjs',
    file: 'smoke.cjs',
    source: `${cjsPrelude}${consumerBody}\nmain().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`,
  },
};

/** A typed consumer: resolution of every package under nodenext, and core's API used with its types. */
const typedConsumer = (
  others,
) => `import { createMemoryStore, createSessionManager, type Session } from '@sess/core';
import { createTestClock } from '@sess/core/testing';
import { isRecordId } from '@sess/core/store';
import { applyCommit } from '@sess/core/adapter';
import { createSealer } from '@sess/core/codecs';
${others.map((name, i) => `import * as package${i} from '${name}';`).join('\n')}

const manager = createSessionManager({ store: createMemoryStore(), clock: createTestClock() });

export async function visit(cookieHeader: string | null): Promise<string[]> {
  const request = manager.open({ cookieHeader });
  const session: Session = await request.load();
  session.set('visits', 1);
  const result = await request.commit(200);
  return result.setCookie;
}

export const loaded: readonly object[] = [${others.map((_, i) => `package${i}`).join(', ')}];
export const kits: readonly unknown[] = [isRecordId, applyCommit, createSealer];
`;

let failed = false;
try {
  const tarballs = join(work, 'tarballs');
  for (const { dir } of built) run('pnpm', ['pack', '--pack-destination', tarballs], dir);
  const tgz = readdirSync(tarballs)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(tarballs, file));

  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const exportsByApp = {};
  for (const [kind, app] of Object.entries(apps)) {
    const dir = join(work, `${kind}-app`);
    console.log(`\n--- ${kind.toUpperCase()} app (${dir})`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: `sess-smoke-${kind}`, version: '0.0.0', private: true, type: app.type }, null, 2)}\n`,
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tgz], dir);
    writeFileSync(join(dir, app.file), app.source);
    const report = join(dir, 'exports.json');
    const loaded = kind === 'cjs' ? names.filter((name) => !esmOnly.includes(name)) : names;
    run('node', [app.file, JSON.stringify(loaded), report], dir);
    exportsByApp[kind] = readJson(report);

    writeFileSync(join(dir, 'consumer.ts'), typedConsumer(loaded.filter((name) => name !== '@sess/core')));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          // Third-party declarations (the peers' @types) are not ours to check; ours pass attw.
          skipLibCheck: true,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    run('node', [tsc, '-p', join(dir, 'tsconfig.json')], dir);
    console.log(`  ok type-check of consumer.ts as ${kind.toUpperCase()}`);
  }

  for (const name of names.filter((name) => !esmOnly.includes(name))) {
    const esm = JSON.stringify(exportsByApp.esm[name]);
    const cjs = JSON.stringify(exportsByApp.cjs[name]);
    if (esm !== cjs) {
      failed = true;
      console.error(`${name}: the ESM and CJS builds export different names\n  esm: ${esm}\n  cjs: ${cjs}`);
    }
  }
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

if (failed) {
  console.error('smoke test FAILED');
  process.exit(1);
}
console.log(`\nsmoke test passed for ${names.join(', ')} (ESM import, CJS require, nodenext types)`);
