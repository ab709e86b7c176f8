import { SessionStoreError } from '@sess/core';
import type { Item, ItemCommands } from './item-commands.js';
import { STORE_NAME } from './options.js';

/** The longest pause between two `gets`/`cas` rounds, ms. */
const CAS_BACKOFF_CAP_MS = 200;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a round decided from the item it read: write `value` with `cas` (then answer `result`), or answer at once. */
export type Step<T> = { result: T } | { result: T; value: string; exptime: number };

/** One read-modify-write of an item, from the item as it is to what to write. */
export interface CasRound<T> {
  operation: string;
  id: string;
  /** The answer when nothing is stored under the id. */
  absent: T;
  /**
   * The item this request's `load` read, if it is still at hand: the first round writes on its token
   * without a `gets` (when that token is stale, the `cas` fails and the next round reads afresh).
   */
  first?: Item | undefined;
  decide(item: Item): Step<T>;
}

/**
 * Runs `gets` → decide → `cas` rounds until a `cas` lands or a round decides without writing. A `cas`
 * lands only on the very item its round read, so what `decide` computed from that item is what is
 * stored: the write is atomic against the record as it is. A lost round (EXISTS: a concurrent write;
 * NOT_FOUND: the item vanished) reads again; the next `gets` tells which. After `attempts` lost rounds
 * the operation gives up with an error.
 *
 * A writer that lost a round waits a random pause before the next one, growing with each lost round and
 * scaled by how long a round takes (longer under load): retrying at once makes every writer of a busy
 * session collide again, round after round.
 */
export async function casRounds<T>(commands: ItemCommands, attempts: number, round: CasRound<T>): Promise<T> {
  const { operation, id } = round;
  let remembered = round.first;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const started = performance.now();
    let item = remembered;
    remembered = undefined;
    let step = item && round.decide(item);
    // A remembered item may be stale: only a `cas` on it can prove it current, so an answer without a
    // write (gone, expired) is taken from the item as it is now.
    if (!item || !step || !('value' in step)) {
      const read = await commands.gets(operation, id);
      if (!read) return round.absent;
      item = read;
      step = round.decide(read);
      if (!('value' in step)) return step.result;
    }
    if (await commands.cas(operation, id, step.value, item.cas, step.exptime)) return step.result;
    if (attempt + 1 === attempts) break;
    const took = Math.max(1, performance.now() - started);
    await pause(Math.random() * Math.min(CAS_BACKOFF_CAP_MS, took * 2 ** attempt));
  }
  throw new SessionStoreError(
    `[${STORE_NAME}] ${operation} gave up: concurrent writes changed the session in each of ${attempts} gets/cas rounds`,
    { operation },
  );
}
