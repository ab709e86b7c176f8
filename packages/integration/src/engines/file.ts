import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFileStore } from '@sess/store-file';
import type { Engine, RawRecord } from './engine.js';

/** `@sess/store-file` in a temp directory of this test file; raw reads parse the session file itself. */
export async function fileEngine(): Promise<Engine> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sess-integration-'));
  return {
    name: 'file',
    title: 'files',
    realTimeExpiry: false,
    async storage(options = {}) {
      const store = createFileStore({
        directory,
        prefix: `t${randomBytes(4).toString('hex')}_`,
        ...(options.clock ? { clock: options.clock } : {}),
      });
      return {
        store,
        async raw(key): Promise<RawRecord | null> {
          const file = store.pathOf(key);
          if (file === null) return null;
          let text: string;
          try {
            text = await readFile(file, 'utf8');
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
            throw error;
          }
          const envelope = JSON.parse(text) as RawRecord;
          return { data: envelope.data, expiresAt: envelope.expiresAt, meta: envelope.meta };
        },
      };
    },
    close: () => rm(directory, { recursive: true, force: true }),
  };
}
