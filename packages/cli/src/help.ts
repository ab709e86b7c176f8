import type { CommandName } from './args.js';

const ENGINE_FLAGS = `Engine (flags win over the config file):
  -c, --config FILE      an ES module exporting the config (default export or \`config\`)
  -e, --engine NAME      db | django-db | file | redis | memcached | cookie
      --url URL          postgres://… or redis://… (default: DATABASE_URL or REDIS_URL)
      --table NAME       db: sess_session, django-db: django_session
      --directory DIR    file: the session directory
      --prefix TEXT      file: sess_, redis: sess:
      --timeout-ms N     bound on connecting and on each statement (default 10000)
  -h, --help             this text`;

const TEXT: Record<CommandName | 'sess', string> = {
  sess: `Usage: sess <command> [flags]

Operator commands for sess sessions.

Commands:
  clearsessions   delete expired sessions (db, django-db, file); run it daily from cron
  list            list an owner's sessions, with their handles
  revoke          end an owner's sessions, all or all but one

Run "sess <command> --help" for a command's flags.

Exit status: 0 done, 1 the operation failed, 2 bad usage or configuration.`,

  clearsessions: `Usage: sess clearsessions [flags]

Deletes expired sessions, as Django's "manage.py clearsessions": in batches on the db engines, one
sweep of the directory on the file engine. Redis, memcached and the cookie engine expire sessions
themselves: there it says so and exits 0.

Flags:
  -n, --dry-run          count what would be deleted, delete nothing
      --batch-size N     rows one DELETE removes (db engines, default 1000)
  -q, --quiet            print nothing on success (for cron)
  -v, --verbose          off a terminal, one line per batch

${ENGINE_FLAGS}

Examples:
  sess clearsessions --config sess.config.mjs
  sess clearsessions --engine db --url postgres://app@db/app --dry-run
  sess clearsessions --engine file --directory /var/lib/app/sessions --quiet`,

  list: `Usage: sess list --owner ID [flags]

Lists the live sessions bound to an owner (a user id), oldest first, with the handle of each: the
app's own handles when the app's handleSecret is configured (\`handleSecret\` in the config file, or
SESS_HANDLE_SECRET). Needs an engine with an owner index (db, redis).

Flags:
      --owner ID         the owner (required)
      --json             a JSON array instead of a table

${ENGINE_FLAGS}

Example:
  SESS_HANDLE_SECRET=… sess list --owner 42 --engine redis --url redis://cache:6379`,

  revoke: `Usage: sess revoke --owner ID [--except HANDLE | --handle HANDLE] [flags]

Ends sessions bound to an owner: all of them, all but one (--except, "log out other devices"), or
one (--handle). Handles come from "sess list" or the app, and need the app's handleSecret
(\`handleSecret\` in the config file, or SESS_HANDLE_SECRET). A handle that matches none of the
owner's sessions revokes nothing and exits 1. Needs an engine with an owner index (db, redis).

Flags:
      --owner ID         the owner (required)
      --except HANDLE    keep this session, end the others
      --handle HANDLE    end only this session
      --json             {"revoked": N, "kept": HANDLE | null}

${ENGINE_FLAGS}

Example:
  sess revoke --config sess.config.mjs --owner 42 --except Qm9f…`,
};

/** The usage text of `command`, or of `sess` itself. */
export function usage(command?: CommandName): string {
  return `${TEXT[command ?? 'sess']}\n`;
}
