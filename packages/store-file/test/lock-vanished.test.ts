import { existsSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { acquireLock } from '../src/session-lock.js';
import { scratchDirectory } from './support.js';

/**
 * The moment between a failed attempt to take a lock and the look at the lock that failed it: a holder may
 * release it right then. The attempt removes its temp file in that moment, so the test releases the lock
 * there, through the module's own `unlinkQuietly`.
 */
const release = vi.hoisted(() => ({ lockPath: '' }));

vi.mock('../src/file-io.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/file-io.js')>();
  return {
    ...original,
    async unlinkQuietly(file: string): Promise<void> {
      await original.unlinkQuietly(file);
      if (release.lockPath !== '' && file.endsWith('.tmp')) {
        await unlink(release.lockPath);
        release.lockPath = '';
      }
    },
  };
});

const directory = scratchDirectory('lock-vanished');

describe('a lock released between the attempt and the look', () => {
  it('is taken at once, even by an operation that may not wait (a sweep removal)', async () => {
    const lockPath = path.join(directory, 'vanishing.lock');
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token: 'x' }),
    );
    release.lockPath = lockPath;
    let temps = 0;
    const held = await acquireLock({
      lockPath,
      transient: () => path.join(directory, `vanishing.${temps++}-000000000000.tmp`),
      write: { mode: 0o600, fsync: false, chmod: false },
      staleMs: 10_000,
      deadline: Date.now(),
      operation: 'clearExpired',
    });
    expect(release.lockPath).toBe('');
    expect(held).not.toBeNull();
    expect(await held?.stillHeld()).toBe(true);
    await held?.release();
    expect(existsSync(lockPath)).toBe(false);
    // Two attempts: the one the release beat, and the one that took the lock.
    expect(temps).toBe(2);
  });
});
