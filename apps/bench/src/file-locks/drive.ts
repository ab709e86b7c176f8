import { createFileStore, type FileStore } from '@sess/store-file';
import type { ProtocolWriter } from './protocols.js';

/** The session every contender keeps: a visit counter and some padding, about 200 bytes as JSON. */
export interface Visit {
  visits: number;
  pad: string;
}

export const firstVisit = (): Visit => ({ visits: 0, pad: 'x'.repeat(150) });

/** One more visit, on the file's bytes: what the raw protocols write. */
export function nextVisit(content: Buffer): Buffer {
  const visit = JSON.parse(content.toString('utf8')) as Visit;
  visit.visits += 1;
  return Buffer.from(JSON.stringify(visit));
}

const HOUR_MS = 3_600_000;
const DEFAULT_LIFETIME_S = 1_209_600;

/** `@sess/store-file` as a {@link ProtocolWriter}: create, then `load` and a delta `update` per request. */
export function storeWriter(directory: string): ProtocolWriter & { store: FileStore } {
  const store = createFileStore({ directory });
  return {
    store,
    async seed(id) {
      const now = Date.now();
      const created = await store.create(id, {
        data: { ...firstVisit() },
        expiresAt: now + HOUR_MS,
        meta: { createdAt: now, lastSeenAt: now },
      });
      if (!created) throw new Error(`store-file: ${id} already exists`);
    },
    async write(id) {
      const record = await store.load(id);
      if (!record) throw new Error(`store-file: ${id} is gone`);
      const visits = (record.data.visits as number) + 1;
      const updated = await store.update(id, {
        data: { ...record.data, visits },
        delta: { set: { visits }, unset: [] },
        meta: { now: Date.now(), defaultLifetime: DEFAULT_LIFETIME_S },
      });
      if (!updated) throw new Error(`store-file: ${id} was not updated`);
    },
    close: async () => {
      await store.close?.();
    },
  };
}

/** `count` session ids the store accepts (32 lower-case letters and digits, as sess's keys). */
export const sessionIds = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `k${i.toString(36).padStart(31, '0')}`);

/**
 * Runs `requests` modifying requests over `ids` with `concurrency` of them in flight. With `oneAtATime`, no
 * two requests in flight share a session (as the bench's pool of visitors makes nearly certain); without,
 * they may, which only a locking protocol survives without losing visits.
 */
export async function drive(
  target: ProtocolWriter,
  ids: readonly string[],
  requests: number,
  concurrency: number,
  oneAtATime: boolean,
): Promise<void> {
  const busy = new Set<number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      let index = (next++ * 7919) % ids.length;
      if (oneAtATime) {
        while (busy.has(index)) index = (index + 1) % ids.length;
        busy.add(index);
      }
      await target.write(ids[index] as string, nextVisit);
      busy.delete(index);
    }
  };
  // One at a time per session: never more in flight than there are sessions.
  const workers = oneAtATime ? Math.min(concurrency, ids.length) : concurrency;
  await Promise.all(Array.from({ length: workers }, worker));
}
