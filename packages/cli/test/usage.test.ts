import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'sess-cli-usage-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes a config module into the test directory and returns its path. */
async function configFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('help', () => {
  it.each([
    [[], 'Usage: sess <command>'],
    [['--help'], 'Usage: sess <command>'],
    [['-h'], 'Usage: sess <command>'],
    [['help'], 'Usage: sess <command>'],
    [['help', 'revoke'], 'Usage: sess revoke --owner ID'],
    [['clearsessions', '--help'], 'Usage: sess clearsessions [flags]'],
    [['list', '-h'], 'Usage: sess list --owner ID'],
    [['revoke', '--help', '--owner', 'x'], 'Usage: sess revoke --owner ID'],
  ])('sess %j prints usage and exits 0', async (argv, heading) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith(heading)).toBe(true);
  });

  it('every command documents the exit codes or the engine flags', async () => {
    expect((await runCli([])).stdout).toContain('Exit status: 0 done, 1 the operation failed, 2 bad usage');
    for (const command of ['clearsessions', 'list', 'revoke']) {
      expect((await runCli([command, '--help'])).stdout).toContain('--timeout-ms N');
    }
  });
});

describe('bad usage exits 2 with the message and the usage on stderr', () => {
  it.each([
    [['frobnicate'], 'sess: unknown command "frobnicate"', 'Usage: sess <command>'],
    [['--engine', 'db'], 'sess: a command comes first', 'Usage: sess <command>'],
    [['help', 'nope'], 'sess: unknown command "nope"', 'Usage: sess <command>'],
    [
      ['clearsessions', '--bogus'],
      "sess clearsessions: Unknown option '--bogus'",
      'Usage: sess clearsessions',
    ],
    [
      ['clearsessions', '--engine'],
      "sess clearsessions: Option '-e, --engine <value>' argument missing",
      null,
    ],
    [['clearsessions', 'extra'], 'sess clearsessions: Unexpected argument', null],
    [['clearsessions', '--engine', 'db', '--owner', 'x'], "Unknown option '--owner'", null],
    [['list', '--engine', 'redis', '--dry-run'], "Unknown option '--dry-run'", 'Usage: sess list'],
    [
      ['list', '--engine', 'redis', '--batch-size', '5', '--owner', '1'],
      "Unknown option '--batch-size'",
      null,
    ],
    [
      ['clearsessions', '--engine', 'file', '--batch-size', '0'],
      '--batch-size must be a whole number from 1',
      null,
    ],
    [
      ['clearsessions', '--engine', 'file', '--batch-size', '1e3'],
      '--batch-size must be a whole number',
      null,
    ],
    [['clearsessions', '--engine', 'file', '--timeout-ms', '-5'], '--timeout-ms', null],
    [
      ['clearsessions', '--engine', 'file', '--quiet', '--verbose'],
      '--quiet and --verbose exclude each other',
      null,
    ],
    [['clearsessions', '--engine', 'db', '--url', ''], '--url must not be empty', null],
    [['clearsessions'], 'no engine: pass --engine', 'Usage: sess clearsessions'],
    [['clearsessions', '--engine', 'mongo'], 'option `engine` must be one of', null],
    [
      ['clearsessions', '--engine', 'file', '--table', 't'],
      '--table does not apply to the file engine',
      null,
    ],
    [
      ['clearsessions', '--engine', 'db', '--directory', '/x'],
      '--directory does not apply to the db engine',
      null,
    ],
    [['clearsessions', '--engine', 'db', '--prefix', 'p'], '--prefix does not apply to the db engine', null],
    [['clearsessions', '--engine', 'db'], 'the db engine needs --url, DATABASE_URL', null],
    [['list', '--engine', 'redis'], '--owner is required', 'Usage: sess list'],
    [['revoke', '--engine', 'redis', '--owner', '1'], 'the redis engine needs --url, REDIS_URL', null],
    [
      ['revoke', '--engine', 'redis', '--owner', '1', '--except', 'a', '--handle', 'b'],
      'exclude each other',
      null,
    ],
    [
      ['revoke', '--engine', 'redis', '--url', 'redis://x', '--owner', '1', '--except', 'a'],
      "need the app's handleSecret",
      null,
    ],
  ])('sess %j', async (argv, message, usage) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    if (usage !== null) expect(result.stderr).toContain(usage);
    else expect(result.stderr).toMatch(/Usage: sess|--help" for usage/);
  });

  it('a handleSecret shorter than core accepts is a configuration error naming it', async () => {
    const result = await runCli(
      ['revoke', '--engine', 'redis', '--url', 'redis://127.0.0.1:1', '--owner', '1'],
      {
        env: { SESS_HANDLE_SECRET: 'short' },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('option `handleSecret` must be at least 32 characters');
  });
});

describe('config files', () => {
  it('a missing file is exit 2', async () => {
    const result = await runCli(['clearsessions', '--config', 'nope.mjs'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`config file ${path.join(dir, 'nope.mjs')} not found`);
  });

  it('a file that does not load is exit 2 with its error', async () => {
    const file = await configFile('broken.mjs', 'export default {;\n');
    const result = await runCli(['clearsessions', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`config file ${file} failed to load: `);
  });

  it.each([
    ['export const other = 1;\n', 'must export an object as default (or as `config`)'],
    ["export default { engine: 'db', tabel: 'x' };\n", 'option `tabel` must be a known option'],
    ["export default { engine: 'file', directory: 3 };\n", 'option `directory` must be a non-empty string'],
    [
      "export default { engine: 'db', url: 'postgres://x', batchSize: 0 };\n",
      'option `batchSize` must be a whole number',
    ],
    [
      "export default { engine: 'db', url: 'postgres://x', timeoutMs: 1.5 };\n",
      'option `timeoutMs` must be a whole number',
    ],
    [
      "export default { engine: 'redis', url: 'redis://x', ownerIndex: 'no' };\n",
      'option `ownerIndex` must be a boolean',
    ],
    [
      "export default { engine: 'redis', connection: 'redis://x' };\n",
      'option `connection` must be an object',
    ],
    ["export default { engine: 'redis', cluster: [] };\n", 'option `cluster` must be a non-empty array'],
    [
      "export default { engine: 'redis', url: 'redis://x', cluster: [{ host: 'a', port: 1 }] };\n",
      'either a url or `cluster`',
    ],
    ["export default { engine: 'file', url: 'redis://x' };\n", '`url` does not apply to the file engine'],
    ["export default { engine: 'db', ownerIndex: true };\n", '`ownerIndex` does not apply to the db engine'],
    ["export default { engine: 'file', prefix: 7 };\n", 'option `prefix` must be a string'],
    [
      "export default { engine: 'db', handleSecret: '' };\n",
      'option `handleSecret` must be a non-empty string',
    ],
  ])('%s is exit 2: %s', async (text, message) => {
    const file = await configFile(`config-${Math.random().toString(36).slice(2)}.mjs`, text);
    const result = await runCli(['revoke', '--config', file, '--owner', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('flags win over the file: --engine replaces the engine it names', async () => {
    const file = await configFile(
      'redis.mjs',
      "export default { engine: 'redis', url: 'redis://127.0.0.1:1' };\n",
    );
    const result = await runCli(['clearsessions', '--config', file, '--engine', 'memcached']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`url` does not apply to the memcached engine');
    const fine = await runCli(['clearsessions', '--config', file]);
    expect(fine).toEqual({ code: 0, stdout: 'nothing to do: redis expires sessions itself\n', stderr: '' });
  });
});
