import type { Flags } from '../args.js';
import { resolveConfig } from '../config.js';
import { openClearTarget, selfExpiring } from '../engines/index.js';
import { EXIT_OK } from '../errors.js';
import type { ResolvedIo } from '../io.js';
import { createProgress } from '../progress.js';
import { line, plural } from './output.js';

/**
 * `sess clearsessions`: Django's management command. Deletes the expired sessions of the db engines (in
 * batches, with progress) and of the file engine (one sweep); engines that expire sessions themselves
 * have nothing to do. With `--dry-run` it counts instead, deleting nothing.
 */
export async function clearsessions(flags: Flags, io: ResolvedIo): Promise<number> {
  const config = await resolveConfig(flags, io.env, io.cwd);
  const say = (text: string): void => {
    if (!flags.quiet) io.stdout.write(line(text));
  };
  const native = selfExpiring(config.engine);
  if (native !== undefined) {
    say(`nothing to do: ${native}`);
    return EXIT_OK;
  }

  // One "now" for the count and the sweep, so both agree on which sessions are expired.
  const now = Date.now();
  const target = await openClearTarget(config, now);
  try {
    if (flags.dryRun) {
      const count = await target.countExpired(now);
      say(`dry run: ${plural(count, 'expired session')} would be deleted from ${target.where}`);
      return EXIT_OK;
    }
    const drawing = io.stdout.isTTY === true && !flags.quiet;
    const progress = createProgress(io.stdout, {
      label: 'clearsessions',
      verbose: flags.verbose,
      quiet: flags.quiet,
    });
    // The bar needs a denominator; off a terminal the extra query is skipped.
    const total = drawing ? await target.countExpired(now) : null;
    progress.start(total);
    let removed: number;
    try {
      removed = await target.clearExpired((count) => progress.advance(count));
      if (!target.batched) progress.advance(removed);
    } finally {
      progress.finish();
    }
    say(`deleted ${plural(removed, 'expired session')} from ${target.where}`);
    return EXIT_OK;
  } finally {
    await target.close();
  }
}
