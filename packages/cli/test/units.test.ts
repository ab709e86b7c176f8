import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../src/args.js';
import { importOptional, redactUrl } from '../src/driver.js';
import { UsageError } from '../src/errors.js';
import { createProgress } from '../src/progress.js';

describe('importOptional (an engine package or driver the app did not install)', () => {
  it('turns a missing module into a usage error with the install line', async () => {
    const name = 'sess-driver-that-is-not-installed';
    const error = await importOptional(() => import(name), name, 'db', `npm install ${name}`).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      `the db engine needs the package ${name}: install it with \`npm install ${name}\``,
    );
  });

  it('passes other failures through', async () => {
    const boom = new Error('boom');
    await expect(importOptional(() => Promise.reject(boom), 'pg', 'db', 'npm install pg')).rejects.toBe(boom);
  });

  it('loads what is installed', async () => {
    const pg = await importOptional(() => import('pg'), 'pg', 'db', 'npm install pg');
    expect(typeof pg.default.Pool).toBe('function');
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.internal:5432/app?sslmode=require', 'postgres://db.internal:5432/app'],
    ['redis://:pw@cache:6379', 'redis://cache:6379'],
    ['rediss://user:pw@cache:6380/2', 'rediss://cache:6380/2'],
    ['not a url', 'the configured server'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('progress', () => {
  class Sink {
    text = '';
    constructor(
      readonly isTTY: boolean,
      readonly columns = 60,
    ) {}
    write(chunk: string): void {
      this.text += chunk;
    }
  }
  const sink = (isTTY: boolean, columns?: number) => new Sink(isTTY, columns);

  it('on a terminal: one frame per step, over itself, ending with a newline', () => {
    const out = sink(true);
    const progress = createProgress(out, { label: 'x', verbose: false, quiet: false });
    progress.start(4);
    progress.advance(1);
    progress.advance(3);
    progress.finish();
    expect(out.text.split('\r\x1b[K').filter(Boolean)).toEqual([
      `x [${'.'.repeat(40)}]   0% 0/4`,
      `x [${'#'.repeat(10)}${'.'.repeat(30)}]  25% 1/4`,
      `x [${'#'.repeat(40)}] 100% 4/4`,
      `x [${'#'.repeat(40)}] 100% 4/4\n`,
    ]);
  });

  it('on a narrow terminal the bar shrinks, down to 10', () => {
    const out = sink(true, 20);
    const progress = createProgress(out, { label: 'x', verbose: false, quiet: false });
    progress.start(100);
    expect(out.text).toBe(`\r\x1b[Kx [${'.'.repeat(10)}]   0% 0/100`);
  });

  it('without a total on a terminal: a running count', () => {
    const out = sink(true);
    const progress = createProgress(out, { label: 'x', verbose: false, quiet: false });
    progress.start(null);
    progress.advance(7);
    expect(out.text).toBe('\r\x1b[Kx: 0 deleted\r\x1b[Kx: 7 deleted');
  });

  it('off a terminal: silent, or one plain line per batch with verbose', () => {
    const quietOut = sink(false);
    const plain = createProgress(quietOut, { label: 'x', verbose: false, quiet: false });
    plain.start(10);
    plain.advance(10);
    plain.finish();
    expect(quietOut.text).toBe('');
    const out = sink(false);
    const verbose = createProgress(out, { label: 'x', verbose: true, quiet: false });
    verbose.start(null);
    verbose.advance(6);
    verbose.advance(4);
    verbose.finish();
    expect(out.text).toBe('batch 1: deleted 6 (6 so far)\nbatch 2: deleted 4 (10 so far)\n');
  });

  it('quiet draws nothing, even on a terminal', () => {
    const out = sink(true);
    const progress = createProgress(out, { label: 'x', verbose: false, quiet: true });
    progress.start(3);
    progress.advance(3);
    progress.finish();
    expect(out.text).toBe('');
  });
});

describe('parseInvocation', () => {
  it('takes values that start with "-" (base64url handles, owner ids), as getopt does', () => {
    const parsed = parseInvocation([
      'revoke',
      '--owner',
      '-42',
      '--except',
      '-Xy_9',
      '-c',
      '-odd.mjs',
      '-e',
      'db',
    ]);
    expect(parsed).toMatchObject({
      kind: 'command',
      command: 'revoke',
      flags: { owner: '-42', except: '-Xy_9', config: '-odd.mjs', engine: 'db' },
    });
  });

  it('keeps the --flag=value and -fvalue forms', () => {
    const parsed = parseInvocation(['clearsessions', '--engine=file', '-n', '--batch-size=5', '-c./x.mjs']);
    expect(parsed).toMatchObject({
      flags: { engine: 'file', dryRun: true, batchSize: 5, config: './x.mjs' },
    });
  });

  it('boolean flags take no value: the next argument stays an argument', () => {
    expect(() => parseInvocation(['clearsessions', '--dry-run', 'yes'])).toThrow(/Unexpected argument 'yes'/);
  });
});
