import type { Flags } from '../args.js';
import { EXIT_OK } from '../errors.js';
import type { ResolvedIo } from '../io.js';
import { line, plural } from './output.js';
import { withOwnerContext } from './owners.js';

const HANDLE_WIDTH = 43;

/** `sess list --owner ID`: the owner's live sessions, oldest first, through core's `sessionsOf`. */
export async function list(flags: Flags, io: ResolvedIo): Promise<number> {
  return withOwnerContext(flags, io, true, async ({ owner, manager }) => {
    const sessions = await manager.sessionsOf(owner);
    if (flags.json) {
      const rows = sessions.map((s) => ({
        handle: s.handle,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
      }));
      io.stdout.write(line(JSON.stringify(rows, null, 2)));
      return EXIT_OK;
    }
    if (sessions.length === 0) {
      io.stdout.write(line(`owner ${owner} has no sessions`));
      return EXIT_OK;
    }
    const cells = (handle: string, ...dates: string[]): string =>
      [handle.padEnd(HANDLE_WIDTH), ...dates.map((d) => d.padEnd(24))].join('  ').trimEnd();
    io.stdout.write(line(`${plural(sessions.length, 'session')} of owner ${owner}:`));
    io.stdout.write(line(cells('HANDLE', 'CREATED', 'LAST SEEN', 'EXPIRES')));
    for (const s of sessions) {
      const dates = [s.createdAt, s.lastSeenAt, s.expiresAt].map((d) => d.toISOString());
      io.stdout.write(line(cells(s.handle, ...dates)));
    }
    return EXIT_OK;
  });
}
