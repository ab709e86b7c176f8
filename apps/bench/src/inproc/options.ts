import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FRAMEWORKS, type Framework } from './contender.js';
import { ENGINES, type Engine } from './engines.js';

/** This checkout: sess comes from its `packages/*\/dist`. */
export const HERE = fileURLToPath(new URL('../../../..', import.meta.url)).replace(/\/$/, '');

export const USAGE = `pnpm --dir apps/bench inproc [options]

  --framework f,f   koa, express, fastify, hono (default koa,express)
  --engine e,e      memory, cookie, redis, stub (default memory,cookie)
  --against DIR     also sess from another checkout's packages/*/dist
  --redis-url URL   the Redis for --engine redis (default $REDIS_URL or redis://127.0.0.1:6379)
  --requests N      requests per CPU slice, or per counted segment with --callgrind (default 2000)

CPU-time slices (the default mode):
  --slices S        measured slices per contender (default 15), after 2 warm-up slices
  --new-visitors    every request without a cookie (each one creates a session), instead of returning visitors

--callgrind: instructions per request under valgrind, one child process per contender:
  --warmup W        requests before counting, not instrumented (default 20000; the JIT settles by ~12000)
  --segments S      counted segments of N requests per child (default 6: two full-GC cycles on Express)
  --repeat R        children per contender (default 1)
  --jobs J          children at once (default 2)
  --keep            keep the callgrind profiles (their directory is printed)
  --attribute       where sess's instructions go compared to the floor's, by function and group: node also
                    writes a perf map (--perf-basic-prof) that names its JIT code; writes
                    results/callgrind-attribution.{json,md} instead of results/callgrind.{json,md}`;

export interface Options {
  frameworks: Framework[];
  engines: Engine[];
  against: string | undefined;
  redisUrl: string;
  requests: number;
  slices: number;
  callgrind: boolean;
  warmup: number;
  segments: number;
  repeat: number;
  jobs: number;
  keep: boolean;
  attribute: boolean;
  newVisitors: boolean;
}

function listOf<T extends string>(given: string, known: readonly T[], what: string): T[] {
  const list = given.split(',').map((item) => item.trim()) as T[];
  const unknown = list.filter((item) => !known.includes(item));
  if (unknown.length > 0)
    throw new Error(`inproc: no ${what} named ${unknown.join(', ')} (${known.join(', ')})`);
  return list;
}

function count(given: string, what: string, least = 1): number {
  const value = Number(given);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`inproc: --${what} must be an integer ≥ ${least}`);
  return value;
}

/** The command line, checked. Prints the usage and exits on `--help`. */
export function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      framework: { type: 'string', default: 'koa,express' },
      engine: { type: 'string', default: 'memory,cookie' },
      against: { type: 'string' },
      'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      requests: { type: 'string', default: '2000' },
      slices: { type: 'string', default: '15' },
      callgrind: { type: 'boolean', default: false },
      warmup: { type: 'string', default: '20000' },
      segments: { type: 'string', default: '6' },
      repeat: { type: 'string', default: '1' },
      jobs: { type: 'string', default: '2' },
      keep: { type: 'boolean', default: false },
      attribute: { type: 'boolean', default: false },
      'new-visitors': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.callgrind && values['new-visitors'])
    throw new Error(
      'inproc: --new-visitors is for the CPU-time slices; --callgrind counts returning visitors',
    );
  if (values.attribute && !values.callgrind) throw new Error('inproc: --attribute goes with --callgrind');
  return {
    frameworks: listOf(values.framework, FRAMEWORKS, 'framework'),
    engines: listOf(values.engine, ENGINES, 'engine'),
    against: values.against === undefined ? undefined : resolve(values.against),
    redisUrl: values['redis-url'],
    requests: count(values.requests, 'requests'),
    slices: count(values.slices, 'slices'),
    callgrind: values.callgrind,
    warmup: count(values.warmup, 'warmup', 0),
    segments: count(values.segments, 'segments'),
    repeat: count(values.repeat, 'repeat'),
    jobs: count(values.jobs, 'jobs'),
    keep: values.keep,
    attribute: values.attribute,
    newVisitors: values['new-visitors'],
  };
}
