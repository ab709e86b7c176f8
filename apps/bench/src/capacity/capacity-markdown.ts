import type { CapacityResults } from './capacity-results.js';
import { ENGINE_NAMES, ENGINES } from './engines.js';
import { TOUCH_INTERVAL } from './measure-requests.js';
import { SESSION_KIND_TEXT, SESSION_KINDS, type SessionKind } from './session-kinds.js';
import { REQUEST_KIND_TEXT, REQUEST_KINDS, type RequestKind } from './visitor.js';

const number = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
/** `text` wrapped at `width` columns like the README's prose; lines after the first start with `indent`. */
export function wrap(text: string, width = 105, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : `${lines.length ? indent : ''}${word}`;
    if (line && next.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

const bullet = (text: string): string => wrap(`- ${text}`, 105, '  ');

const table = (head: readonly string[], align: readonly string[], rows: readonly string[][]): string[] => [
  row(head),
  row(align),
  ...rows.map(row),
];

/** `HGETALL`, `EVALSHA`, `EVALSHA` → "3: `HGETALL` + 2 × `EVALSHA`"; nothing → "0". */
export function tripList(trips: readonly string[]): string {
  if (trips.length === 0) return '0';
  const runs: { name: string; times: number }[] = [];
  for (const name of trips) {
    const last = runs.at(-1);
    if (last?.name === name) last.times++;
    else runs.push({ name, times: 1 });
  }
  const text = runs.map((r) => (r.times > 1 ? `${r.times} × \`${r.name}\`` : `\`${r.name}\``)).join(' + ');
  return `${trips.length}: ${text}`;
}

function storeCalls(results: CapacityResults, kind: RequestKind): string {
  const each = ENGINES.map((id) => tripList(results.requests[id][kind].store));
  if (each.every((text) => text === each[0])) return each[0] ?? '';
  return ENGINES.map((id, i) => `${ENGINE_NAMES[id]} ${each[i]}`).join('; ');
}

function requestTable(results: CapacityResults): string[] {
  const { requests } = results;
  const server = (id: 'redis' | 'postgres' | 'memcached', kind: RequestKind) =>
    tripList(requests[id][kind].server?.trips ?? []);
  return table(
    [
      'request',
      'store calls (every engine)',
      'Redis round trips',
      'Redis commands',
      'PostgreSQL statements',
      'memcached commands',
    ],
    ['---', '---', '---', '---:', '---', '---'],
    REQUEST_KINDS.map((kind) => [
      REQUEST_KIND_TEXT[kind],
      storeCalls(results, kind),
      server('redis', kind),
      String(requests.redis[kind].server?.commands ?? 0),
      server('postgres', kind),
      server('memcached', kind),
    ]),
  );
}

/** The native table's indexes, in this order, by the end of their names. */
const INDEX_LABELS: Record<string, string> = {
  pkey: 'primary key index (`key`)',
  expires_at_idx: '`expires_at` index',
  owner_idx: '`(owner, created_at)` index (owned rows only)',
};

function bytesTable(results: CapacityResults): string[] {
  const { redis, postgres, memcached, file } = results.bytes;
  const bulk = number(results.measuredOn.bulk);
  const line = (engine: string, what: string, of: (kind: SessionKind) => string) => [
    engine,
    what,
    ...SESSION_KINDS.map(of),
  ];
  const indexNames = Object.keys(postgres.loggedIn.indexes).sort(
    (a, b) => Object.keys(INDEX_LABELS).indexOf(a) - Object.keys(INDEX_LABELS).indexOf(b),
  );
  return table(
    ['engine', 'measured', ...SESSION_KINDS.map((kind) => SESSION_KIND_TEXT[kind])],
    ['---', '---', '---:', '---:'],
    [
      line(
        'Redis',
        '`MEMORY USAGE` of the session hash',
        (k) => `${number(redis[k].hash)} (${redis[k].encoding})`,
      ),
      line('Redis', "`MEMORY USAGE` of the owner's index (one session)", (k) =>
        redis[k].ownerIndex ? number(redis[k].ownerIndex) : '—',
      ),
      line(
        'Redis',
        `\`used_memory\` growth per session, over ${bulk}`,
        (k) => `**${number(redis[k].perSession)}**`,
      ),
      line('PostgreSQL', 'row (`pg_column_size`)', (k) => number(postgres[k].row)),
      line('PostgreSQL', `table per row, over ${bulk}`, (k) => number(postgres[k].table)),
      ...indexNames.map((name) =>
        line('PostgreSQL', `${INDEX_LABELS[name] ?? `index \`${name}\``} per row`, (k) =>
          number(postgres[k].indexes[name] ?? 0),
        ),
      ),
      line('PostgreSQL', 'table + indexes per row', (k) => `**${number(postgres[k].total)}**`),
      line('memcached', 'key + value', (k) => `${memcached[k].key} + ${memcached[k].value}`),
      line('memcached', `item (\`stats\` \`bytes\` growth per item, over ${bulk})`, (k) =>
        number(memcached[k].item),
      ),
      line('memcached', 'slab chunk it takes', (k) => `**${number(memcached[k].chunk)}**`),
      line('file', 'file length', (k) => number(file[k].content)),
      line(
        'file',
        `allocated (${number(file.anonymous.blockSize)}-byte blocks)`,
        (k) => `**${number(file[k].allocated)}**`,
      ),
    ],
  );
}

function exampleTable(results: CapacityResults): string[] {
  const { atRest, traffic } = results.example;
  const kinds = (bytes: Record<SessionKind, number>) => SESSION_KINDS.map((kind) => gib(bytes[kind]));
  return table(
    ['engine', 'all anonymous', 'all logged in', 'traffic'],
    ['---', '---:', '---:', '---'],
    [
      [
        'Redis memory (`used_memory`)',
        ...kinds(atRest.redis),
        `${number(traffic.redis.roundTrips)} round trips/s (${number(traffic.redis.writes)} writes), ${number(traffic.redis.commands)} commands/s`,
      ],
      [
        'PostgreSQL disk (table + indexes)',
        ...kinds(atRest.postgres),
        `${number(traffic.postgres.roundTrips)} statements/s (${number(traffic.postgres.writes)} writes)`,
      ],
      [
        'memcached memory (slab chunks)',
        ...kinds(atRest.memcached),
        `${number(traffic.memcached.commands)} commands/s (${number(traffic.memcached.writes)} writes)`,
      ],
      ['file disk (allocated blocks)', ...kinds(atRest.file), '—'],
    ],
  );
}

/** The figures of the README's "Capacity" section (what sits between its markers), from `results`. */
export function capacityTables(results: CapacityResults): string {
  const { measuredOn: on, example, bytes } = results;
  const overhead =
    bytes.memcached.anonymous.item - bytes.memcached.anonymous.key - bytes.memcached.anonymous.value;
  const { sessions, requestsPerSecond, writeShare } = example.load;
  return [
    wrap(
      `Measured with Redis ${on.redis}, PostgreSQL ${on.postgres} and memcached ${on.memcached}, each engine as its README configures it, the manager with its defaults and \`touchInterval: ${TOUCH_INTERVAL}\`.`,
    ),
    '',
    wrap(
      "**Per request.** Store calls are what core asks of the store; the other columns are what the server saw: MONITOR and `INFO commandstats` on Redis (a Lua script is one round trip; the commands it runs count as commands), the statements the `pg` driver sent, and memcached's own `stats` counters (which count `gets` under `get` and `add` under `set`, and do not record the order).",
    ),
    '',
    ...requestTable(results),
    '',
    wrap(
      "A read-only request writes only once `touchInterval` has passed since the session's last write (without `touchInterval`, never, as in Django). `cycleKey()` creates the new record and destroys the old one at once; the owner is saved with the data at commit (on Redis, after the owner index is raised).",
    ),
    '',
    wrap(
      `**At rest, bytes per session.** One session saved through the manager, then ${number(on.bulk)} more of its kind (each with its own key, owner and instants) to average what the server pays per session. Keys are not hashed at rest (\`hashKeysAtRest\` makes record ids 40 characters instead of 32).`,
    ),
    '',
    ...bytesTable(results),
    '',
    wrap(
      `Redis's \`used_memory\` growth adds the keyspace and expiry entries to the hash and, logged in, the owner's index. A memcached item is its key and value plus ${overhead} bytes (memcached's item header with the CAS value, and line ends), stored in the smallest slab chunk that holds it.`,
    ),
    '',
    wrap(
      `**Worked example.** ${number(sessions)} sessions; ${number(requestsPerSecond)} requests/s, of which ${writeShare * 100}% modify the session and the rest only read it (new visitors, touches, logins and logouts left out); from the figures in bold above.`,
    ),
    '',
    ...exampleTable(results),
    '',
    bullet(
      "Redis: add headroom for fragmentation and, with persistence or replicas, for the fork's copy-on-write and the replication buffers.",
    ),
    bullet(
      `PostgreSQL: live rows only. A write slides \`expires_at\`, which is indexed, so no \`UPDATE\` is HOT: each leaves a dead row version and new index entries, ${number(example.traffic.postgres.writes)}/s here, for autovacuum to reclaim. Leave room for that bloat.`,
    ),
    bullet('memcached: start it with `-m` above this (its default is 64 MB), or it evicts sessions.'),
    bullet('file: one file (and one inode) per session in one directory: meant for small sites.'),
  ].join('\n');
}

/** `results/capacity.md`: the section's figures, plus the order of the commands each Redis request ran. */
export function capacityMarkdown(results: CapacityResults): string {
  const detail = table(
    ['request', 'Redis commands, in order (`LUA:` ran inside a script)'],
    ['---', '---'],
    REQUEST_KINDS.map((kind) => [kind, (results.requests.redis[kind].server?.detail ?? []).join(' ') || '—']),
  );
  return [
    '# Capacity',
    '',
    capacityTables(results),
    '',
    '## Redis commands per request',
    '',
    ...detail,
    '',
  ].join('\n');
}
