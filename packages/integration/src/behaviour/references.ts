import { majorsOf, NEWEST_FRAMEWORKS, newestOf } from '../frameworks/index.js';
import type {
  CapabilityReference,
  MissingReference,
  TableAdapter,
  TableEngine,
  TestReference,
} from './model.js';

/** How each engine is titled in the describe blocks of the tests (and in the HTTP suite's "over …"). */
export const ENGINE_TITLES: Record<TableEngine, string> = {
  memory: 'MemoryStore',
  file: 'files',
  cookie: 'the sealed cookie engine',
  db: 'PostgreSQL',
  django: 'PostgreSQL (Django mode)',
  redis: 'Redis',
  memcached: 'memcached',
};

/** Framework majors of an adapter: all of them, or the newest (what the timing and outage files use). */
const allMajors = (adapter: TableAdapter): string => majorsOf(adapter).join(' / ');

type Cell = (engine: TableEngine, adapter: TableAdapter) => TestReference;

/** A test of this package, run under `describe('<engine> through <major>')`. */
export const ours =
  (file: string, title: string, majors: 'all' | 'timing' = 'all'): Cell =>
  (engine, adapter) => ({
    kind: 'test',
    file: `test/${file}`,
    describe: `${ENGINE_TITLES[engine]} through ${majors === 'all' ? allMajors(adapter) : newestOf(adapter)}`,
    title,
  });

/** A test of this package under one describe for the engine (construction-time refusals). */
export const oursPerEngine =
  (file: string, title: string): Cell =>
  (engine) => ({ kind: 'test', file: `test/${file}`, describe: ENGINE_TITLES[engine], title });

/**
 * A case of the shared HTTP suite (@sess/http-test-suite) as it runs over the engine: the adapters' own
 * runs for the memory store and the cookie engine, this package's http-suite-<engine>.test.ts for the rest.
 */
export const suite =
  (title: string): Cell =>
  (engine, adapter) => {
    const file =
      engine === 'memory'
        ? `../${adapter}/test/conformance.test.ts`
        : engine === 'cookie'
          ? `../${adapter}/test/cookie-engine.test.ts`
          : `test/http-suite-${engine}.test.ts`;
    return {
      kind: 'test',
      file,
      describe: `@sess/${adapter} on ${allMajors(adapter)} over ${ENGINE_TITLES[engine]}`,
      title,
    };
  };

/** An outage test: one test drives the newest major of each adapter over a dedicated server. */
export const outage = (engine: 'db' | 'redis' | 'memcached', title: string): TestReference => ({
  kind: 'test',
  file: `test/outage-${engine}.test.ts`,
  describe: `${{ db: 'PostgreSQL', redis: 'Redis', memcached: 'memcached' }[engine]} outage (${NEWEST_FRAMEWORKS.join(' and ')} in one test)`,
  title,
});

export const capability = (
  name: CapabilityReference['name'],
  value: boolean,
  statement: string,
): CapabilityReference => ({ kind: 'capability', name, value, statement });

export const missing = (statement: string): MissingReference => ({ kind: 'missing', statement });

/** The titles of the tests the table cites, each written once. */
export const TITLES = {
  races: {
    delta: 'delta: two requests that change different keys of one session both survive',
    django:
      'Django mode, last writer wins: a write held while another request changed another key replaces the record whole',
    flush:
      'no resurrection: a write that commits after a flush elsewhere answers 400 (SessionInterrupted) and the record stays gone',
    cycle:
      'no resurrection: a write that commits after a cycleKey elsewhere answers 400 (SessionInterrupted); the old record stays gone, the new one is untouched',
  },
  parallel: {
    delta: '20 parallel requests each setting k<i> on one session: all succeed and all 20 keys are stored',
    django:
      'Django mode, last writer wins: 20 parallel requests setting k<i> all succeed; the record keeps the base key and at least one k<i>',
  },
  owners: {
    logoutOthers:
      'login binds the owner; the sessions list shows handles, not keys; log out other devices makes the other client anonymous',
    revokeOne: 'revoking one device by its handle ends only that session',
    missing:
      "CapabilityMissing: listing or revoking an owner's sessions is an error response (no owner index)",
  },
  setCookie: {
    unchanged:
      'no Set-Cookie when a loaded session did not change (Vary: Cookie), and the stored record is not rewritten',
    fiveHundred:
      '5xx does not save: a 500/503 chosen by the handler or a handler that threw leaves the stored record unchanged, without Set-Cookie',
  },
  policy: {
    readOnly:
      'read-only route: reads the session, writes and touches nothing (even past touchInterval), sends no cookie, refuses writes with READ_ONLY',
    failOpen:
      'fail-open route: when the store cannot load, an empty read-only session and a 200 without cookie; writes fail; the record is kept',
  },
  storeFailures:
    'outage error: a failing or hanging store operation answers 5xx with a store error naming it, without Set-Cookie; the record is kept',
  idle: 'idle timeout: a session not saved for cookieAge seconds is gone on the server, even when its cookie is replayed',
  absolute: {
    enforced:
      'absolute timeout: an active session ends absoluteTimeout seconds after creation; Max-Age and the stored deadline are capped',
    refused:
      'absolute timeout: refused at construction by both adapters (no session metadata to keep a deadline)',
  },
  touch:
    'touch throttling: an unchanged session is touched at most once per touchInterval, its data never rewritten, its cookie re-sent',
  touchRefused:
    'touch throttling: refused at construction by both adapters (no session metadata to tell when it is due)',
  rotation: {
    enforced:
      'key rotation: a new key once per rotateInterval with the data kept; the old key works for rotationGrace, then is gone',
    refused: 'key rotation: refused at construction by both adapters (no server-side key to rotate)',
    refusedDjango:
      'key rotation: refused at construction by both adapters (no session metadata to tell when it is due)',
  },
  outage: {
    dbKilled:
      'killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE/STORE_TIMEOUT naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart the rows are unchanged and the same apps recover',
    dbFrozen:
      'frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT after storeTimeoutMs, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the rows are unchanged and the same apps recover',
    redisKilled:
      'killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE/STORE_TIMEOUT naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart the records are unchanged and the same apps recover',
    redisFrozen:
      'frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT after storeTimeoutMs, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the records are unchanged and the same apps recover',
    memcachedKilled:
      'killed (SIGKILL): reads and writes answer 5xx with STORE_UNAVAILABLE naming the package and operation, no Set-Cookie; fail-open routes serve an empty session; after a restart sessions come back empty (never stale, no error loop) and the same apps recover',
    memcachedFrozen:
      'frozen (SIGSTOP): requests answer 5xx with STORE_TIMEOUT, no Set-Cookie; fail-open routes serve an empty session; after SIGCONT the records are unchanged and the same apps recover',
  },
  suite: {
    persistence: 'keeps data across requests (the LocalLibrary counter)',
    forged: 'does not adopt a forged key: a write gets a fresh key, nothing is stored under the forged one',
    unchanged: 'sends no Set-Cookie when a loaded session did not change, but still Vary: Cookie',
    flush: 'flush() deletes the record and the cookie',
    cycle: 'cycleKey() issues a new key, keeps the data and deletes the old record',
    fiveHundred: 'does not save on a %i response, and sends no cookie',
  },
} as const;
