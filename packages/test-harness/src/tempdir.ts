import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackDir, untrackDir } from './reaper.js';
import type { UserIds } from './users.js';

/** A fresh temp dir (removed by the reaper if this process dies), optionally owned by `owner`. */
export async function makeTempDir(prefix: string, owner?: UserIds): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sess-${prefix}-`));
  trackDir(dir);
  if (owner) await chown(dir, owner.uid, owner.gid);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  untrackDir(dir);
}
