import type { Flags } from '../args.js';
import { EXIT_OK, OperationFailed, UsageError } from '../errors.js';
import type { ResolvedIo } from '../io.js';
import { line, plural } from './output.js';
import { withOwnerContext } from './owners.js';

/**
 * `sess revoke --owner ID [--except HANDLE | --handle HANDLE]`: ends the owner's sessions through core's
 * `revokeSessions` / `revokeSession`. A handle that matches none of the owner's sessions revokes nothing
 * (a mistyped `--except` must not log out every device) and fails.
 */
export async function revoke(flags: Flags, io: ResolvedIo): Promise<number> {
  if (flags.except !== undefined && flags.handle !== undefined) {
    throw new UsageError('--except and --handle exclude each other');
  }
  const chosen = flags.except ?? flags.handle;
  return withOwnerContext(flags, io, chosen !== undefined, async ({ owner, manager }) => {
    const report = (revoked: number, kept: string | null, text: string): number => {
      io.stdout.write(line(flags.json ? JSON.stringify({ revoked, kept }) : text));
      return EXIT_OK;
    };
    const unknown = (handle: string): OperationFailed =>
      new OperationFailed(
        `owner ${owner} has no session with handle ${handle}: nothing revoked ` +
          "(is the handleSecret the app's, and is the session still live?)",
      );

    if (flags.handle !== undefined) {
      const handle = flags.handle;
      const found = await manager.revokeSession(owner, handle);
      if (!found) throw unknown(handle);
      return report(1, null, `revoked session ${handle} of owner ${owner}`);
    }
    if (flags.except !== undefined) {
      const except = flags.except;
      const sessions = await manager.sessionsOf(owner);
      if (!sessions.some((s) => s.handle === except)) throw unknown(except);
      const count = await manager.revokeSessions(owner, { except });
      return report(count, except, `revoked ${plural(count, 'session')} of owner ${owner}, kept ${except}`);
    }
    const count = await manager.revokeSessions(owner);
    return report(count, null, `revoked ${plural(count, 'session')} of owner ${owner}`);
  });
}
