import type { Behaviour, Reference, TableAdapter, TableEngine } from './model.js';
import { capability, ours, oursPerEngine, outage, suite, TITLES } from './references.js';

type Engines = Partial<Record<TableEngine, (engine: TableEngine, adapter: TableAdapter) => Reference[]>>;

/** A row whose cell is looked up per engine; every engine must be covered. */
function row(title: string, meaning: string, engines: Engines): Behaviour {
  return {
    title,
    meaning,
    cell(engine, adapter) {
      const cell = engines[engine];
      if (!cell) throw new Error(`behaviour "${title}" has no cell for ${engine}`);
      return cell(engine, adapter);
    },
  };
}

/** The same cell for several engines. */
function each(
  engines: readonly TableEngine[],
  cell: (engine: TableEngine, adapter: TableAdapter) => Reference[],
): Engines {
  return Object.fromEntries(engines.map((engine) => [engine, cell]));
}

const SERVER: readonly TableEngine[] = ['memory', 'file', 'db', 'django', 'redis', 'memcached'];
const ALL: readonly TableEngine[] = ['memory', 'file', 'cookie', 'db', 'django', 'redis', 'memcached'];
const DELTA: readonly TableEngine[] = ['memory', 'file', 'db', 'redis', 'memcached'];
const WITH_METADATA = DELTA;
const one =
  (cell: (engine: TableEngine, adapter: TableAdapter) => Reference) => (e: TableEngine, a: TableAdapter) => [
    cell(e, a),
  ];

const NO_SERVER_RECORD = capability(
  'serverSide',
  false,
  'no server-side record: the session travels in the cookie, so no other request can delete it',
);
const NO_SERVER_KEY = capability(
  'serverSide',
  false,
  'no server-side key to rotate: the option is refused at construction',
);
const NO_STORE_IO = capability(
  'serverSide',
  false,
  'no store I/O: the session arrives with the request, there is no server to lose',
);

/** The rows of BEHAVIOUR.md, in order. */
export const BEHAVIOURS: readonly Behaviour[] = [
  row('persistence', 'Data survives across requests of one client and stays apart from other clients.', {
    ...each(ALL, one(suite(TITLES.suite.persistence))),
  }),
  row(
    'forged key not adopted',
    'A well-formed cookie value the server never issued starts a fresh session; nothing is stored under it.',
    each(ALL, one(suite(TITLES.suite.forged))),
  ),
  row(
    'no Set-Cookie when unchanged',
    'A session that was read but not changed sends no Set-Cookie (only `Vary: Cookie`) and is not rewritten.',
    {
      ...each(SERVER, one(ours('set-cookie.test.ts', TITLES.setCookie.unchanged))),
      cookie: one(suite(TITLES.suite.unchanged)),
    },
  ),
  row('flush', '`flush()` deletes the record and the cookie.', each(ALL, one(suite(TITLES.suite.flush)))),
  row(
    'cycleKey',
    '`cycleKey()` moves the data to a new key and deletes the old record.',
    each(ALL, one(suite(TITLES.suite.cycle))),
  ),
  row(
    'delta (different keys survive)',
    'Concurrent requests changing different top-level keys of one session all keep their change.',
    {
      ...each(DELTA, (e, a) => [
        ours('races.test.ts', TITLES.races.delta)(e, a),
        ours('parallel-requests.test.ts', TITLES.parallel.delta)(e, a),
      ]),
      django: (e, a) => [
        capability('delta', false, "whole-record writes in Django's format: the last writer wins"),
        ours('races.test.ts', TITLES.races.django)(e, a),
        ours('parallel-requests.test.ts', TITLES.parallel.django)(e, a),
      ],
      cookie: () => [
        capability(
          'delta',
          false,
          'each response carries the whole session; the last cookie the browser keeps wins',
        ),
      ],
    },
  ),
  row(
    'no resurrection',
    'A write that commits after the session was flushed or cycled elsewhere answers 400 (`SessionInterrupted`) and does not bring the record back.',
    {
      ...each(SERVER, (e, a) => [
        ours('races.test.ts', TITLES.races.flush)(e, a),
        ours('races.test.ts', TITLES.races.cycle)(e, a),
      ]),
      cookie: () => [NO_SERVER_RECORD],
    },
  ),
  row(
    'owner list/revoke',
    'Login binds an owner; the owner\'s sessions are listed by handle; "log out other devices" ends the others.',
    {
      ...each(['memory', 'db', 'redis'], (e, a) => [
        ours('owners.test.ts', TITLES.owners.logoutOthers)(e, a),
        ours('owners.test.ts', TITLES.owners.revokeOne)(e, a),
      ]),
      ...each(['file', 'memcached', 'django', 'cookie'], (e, a) => [
        capability('ownerIndex', false, 'no owner index: CapabilityMissing'),
        ours('owners-missing.test.ts', TITLES.owners.missing)(e, a),
      ]),
    },
  ),
  row(
    'idle timeout',
    'A session not saved for `cookieAge` seconds is gone on the server, even if its cookie is replayed.',
    each(ALL, one(ours('idle-timeout.test.ts', TITLES.idle, 'timing'))),
  ),
  row('absolute timeout', 'A session ends `absoluteTimeout` seconds after creation however active it is.', {
    ...each(WITH_METADATA, one(ours('absolute-timeout.test.ts', TITLES.absolute.enforced, 'timing'))),
    ...each(['django', 'cookie'], (e, a) => [
      capability('metadata', false, 'no session metadata: the option is refused at construction'),
      oursPerEngine('absolute-timeout.test.ts', TITLES.absolute.refused)(e, a),
    ]),
  }),
  row(
    'touch throttling',
    'With `touchInterval`, an unchanged session is refreshed at most once per interval, its data never rewritten.',
    {
      ...each([...WITH_METADATA, 'cookie'], one(ours('touch.test.ts', TITLES.touch, 'timing'))),
      django: (e, a) => [
        capability('metadata', false, 'no session metadata: touchInterval is refused at construction'),
        oursPerEngine('django-policy-refused.test.ts', TITLES.touchRefused)(e, a),
      ],
    },
  ),
  row(
    'key rotation',
    'With `rotateInterval`, the key is replaced once per interval; the old key works for `rotationGrace`, then is gone.',
    {
      ...each(WITH_METADATA, one(ours('rotation.test.ts', TITLES.rotation.enforced, 'timing'))),
      cookie: (e, a) => [NO_SERVER_KEY, oursPerEngine('rotation.test.ts', TITLES.rotation.refused)(e, a)],
      django: (e, a) => [
        capability('metadata', false, 'no session metadata: rotateInterval is refused at construction'),
        oursPerEngine('django-policy-refused.test.ts', TITLES.rotation.refusedDjango)(e, a),
      ],
    },
  ),
  row(
    'read-only route',
    'A `readOnly` route reads the session, never writes, touches or sends a cookie, and refuses writes.',
    each(ALL, one(ours('policy.test.ts', TITLES.policy.readOnly))),
  ),
  row('fail-open', 'A `failOpen` route serves an empty session through a store outage and writes nothing.', {
    ...each(['memory', 'file'], one(ours('policy.test.ts', TITLES.policy.failOpen))),
    ...each(['db', 'django'], () => [
      outage('db', TITLES.outage.dbKilled),
      outage('db', TITLES.outage.dbFrozen),
    ]),
    redis: () => [outage('redis', TITLES.outage.redisKilled), outage('redis', TITLES.outage.redisFrozen)],
    memcached: () => [
      outage('memcached', TITLES.outage.memcachedKilled),
      outage('memcached', TITLES.outage.memcachedFrozen),
    ],
    cookie: () => [NO_STORE_IO],
  }),
  row(
    'outage error',
    'A store that fails or hangs answers 5xx through the framework within the timeout, with a store error naming package and operation, and no Set-Cookie.',
    {
      ...each(['memory', 'file'], one(ours('store-failures.test.ts', TITLES.storeFailures))),
      ...each(['db', 'django'], () => [
        outage('db', TITLES.outage.dbKilled),
        outage('db', TITLES.outage.dbFrozen),
      ]),
      redis: () => [outage('redis', TITLES.outage.redisKilled), outage('redis', TITLES.outage.redisFrozen)],
      memcached: () => [
        outage('memcached', TITLES.outage.memcachedKilled),
        outage('memcached', TITLES.outage.memcachedFrozen),
      ],
      cookie: () => [NO_STORE_IO],
    },
  ),
  row(
    '5xx does not save',
    'A response with a 5xx status (chosen or thrown) saves nothing and sends no cookie.',
    {
      ...each(SERVER, one(ours('set-cookie.test.ts', TITLES.setCookie.fiveHundred))),
      cookie: one(suite(TITLES.suite.fiveHundred)),
    },
  ),
];
