import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client, visitsOf } from './client.js';
import { quickStartCommand } from './readme.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with the first `http://…/` URL the process prints; rejects if it exits or stays silent. */
function urlPrintedBy(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no URL within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const onData = () => {
      const match = /(http:\/\/\S+?:\d+\/)/.exec(output());
      if (match?.[1]) done(undefined, match[1]);
    };
    const onExit = (code: number | null) => done(new Error(`the command exited (${code}):\n${output()}`));
    function done(error: Error | undefined, url?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(url as string);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends SIGTERM to the whole process group and waits until no process of it is left. */
async function stopGroup(pid: number): Promise<boolean> {
  if (!groupAlive(pid)) return true;
  process.kill(-pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (!groupAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-pid, 'SIGKILL');
  return false;
}

describe('the quick start marker', () => {
  it('is the first command of the first sh block after the "Quick start" heading', () => {
    const readme = [
      '# sess',
      '```sh',
      'npm install @sess/core',
      '```',
      '## Quick start',
      'From a clone:',
      '',
      '```sh',
      '',
      '# a comment line',
      'pnpm start   # the example site',
      'pnpm test',
      '```',
    ].join('\n');
    expect(quickStartCommand(readme)).toBe('pnpm start');
    expect(() => quickStartCommand('# sess\n```sh\npnpm start\n```\n')).toThrow(/Quick start/);
    expect(() => quickStartCommand('## Quick start\nnothing to run\n')).toThrow(/```sh block/);
  });
});

describe("the README's first command", () => {
  it('starts the site, which counts visits 1, 2, 3 for one cookie jar', async () => {
    const command = quickStartCommand(readFileSync(new URL('README.md', `file://${ROOT}`), 'utf8'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    // The defaults are what a reader gets: Koa on the file engine.
    for (const name of ['SESSION_STORE', 'FRAMEWORK', 'HOST', 'SESSION_FILE_PATH']) delete env[name];
    const child = spawn('sh', ['-c', command], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const pid = child.pid as number;
    try {
      // The root `start` builds the packages first: quick from turbo's cache, a minute or so when cold.
      const url = await urlPrintedBy(child, () => output, 180_000);
      expect(new URL(url).port).toBe(String(port));
      expect(output).toContain('LocalLibrary (koa, file sessions');
      const jar = new Client(url);
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) seen.push(visitsOf((await jar.get('/')).text));
      expect(seen).toEqual([1, 2, 3]);
    } finally {
      expect(await stopGroup(pid)).toBe(true);
    }
  }, 240_000);
});
