import { describe, expect, it } from 'vitest';
import { settleDisk } from '../src/settle-disk.js';

describe('settleDisk', () => {
  it('writes the page cache out and returns within its bounds', async () => {
    const started = Date.now();
    await settleDisk(3_000, 100);
    const took = Date.now() - started;
    // At least the quiet time after the writes; at most the wait for the page cache plus it, and `sync`.
    expect(took).toBeGreaterThanOrEqual(100);
    expect(took).toBeLessThan(20_000);
  });
});
