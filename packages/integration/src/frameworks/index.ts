import type { Server } from 'node:http';
import type { SessionStore } from '@sess/core/store';
import type { AdapterUnderTest } from '@sess/http-test-suite';
import express from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';
import { expressAdapter } from '../../../express/test/harness.js';
import { fastifyAdapter } from '../../../fastify/test/harness.js';
import { honoAdapter } from '../../../hono/test/harness.js';
import { koaAdapter } from '../../../koa/test/harness.js';
import type { ServerSpec } from './app-spec.js';
import { expressPassportServer, expressServer } from './express-app.js';
import { fastifyPassportServer, fastifyServer } from './fastify-app.js';
import { honoServer } from './hono-app.js';
import { koaPassportServer, koaServer } from './koa-app.js';

/** One framework major the integration tests run through. */
export interface FrameworkEntry {
  /** How test titles name it, e.g. `Koa 3`. */
  readonly name: string;
  /** The sess adapter it runs, `@sess/<adapter>`: the column of BEHAVIOUR.md, the reliability suites' name. */
  readonly adapter: string;
  /** The adapter's newest supported major: it also runs the timing, outage and reliability tests. */
  readonly newest: boolean;
  /** Starts a server: the adapter's session middleware built from `spec`, the handler behind it. */
  readonly server: (spec: ServerSpec) => Server | Promise<Server>;
  /** The adapter package's own harness for the shared HTTP suite, on this major. */
  readonly suiteHarness: AdapterUnderTest;
  /**
   * The adapter package's unchanged Passport app over `store`, when it has one (issue 14's apps, run here
   * on the server engines): its scenarios are the adapter's, see test/passport-redis.test.ts.
   */
  readonly passportServer?: (store: SessionStore) => Promise<Server>;
}

/**
 * THE list of frameworks of this package: every test that runs "through every framework" iterates it, the
 * newest major of each adapter runs the timing, outage and reliability tests, and BEHAVIOUR.md's adapter
 * columns come from it. Adding a framework is one entry here and one app file beside this one
 * (see koa-app.ts, express-app.ts), then regenerating BEHAVIOUR.md.
 */
const ENTRIES = [
  {
    name: 'Koa 3',
    adapter: 'koa',
    newest: true,
    server: koaServer(Koa),
    suiteHarness: koaAdapter(Koa),
    passportServer: koaPassportServer(Koa),
  },
  {
    name: 'Express 5',
    adapter: 'express',
    newest: true,
    server: expressServer(express),
    suiteHarness: expressAdapter(express),
    passportServer: expressPassportServer(express),
  },
  {
    name: 'Fastify 5',
    adapter: 'fastify',
    newest: true,
    server: fastifyServer,
    suiteHarness: fastifyAdapter,
    passportServer: fastifyPassportServer,
  },
  {
    name: 'Hono 4',
    adapter: 'hono',
    newest: true,
    server: honoServer,
    suiteHarness: honoAdapter,
  },
  {
    name: 'Koa 2',
    adapter: 'koa',
    newest: false,
    server: koaServer(Koa2),
    suiteHarness: koaAdapter(Koa2),
    passportServer: koaPassportServer(Koa2),
  },
  {
    name: 'Express 4',
    adapter: 'express',
    newest: false,
    server: expressServer(express4),
    suiteHarness: expressAdapter(express4),
    passportServer: expressPassportServer(express4),
  },
] as const satisfies readonly FrameworkEntry[];

/** A framework major, by name. */
export type Framework = (typeof ENTRIES)[number]['name'];

/** A sess adapter, by its package's short name (`koa` for `@sess/koa`). */
export type AdapterName = (typeof ENTRIES)[number]['adapter'];

/** Every framework major, in the order tests run them (the newest majors first). */
export const FRAMEWORKS: readonly Framework[] = ENTRIES.map((entry) => entry.name);

/** The newest major of each adapter: what the timing, outage and reliability tests run through. */
export const NEWEST_FRAMEWORKS: readonly Framework[] = ENTRIES.filter((entry) => entry.newest).map(
  (entry) => entry.name,
);

/** Every adapter, once, in the order of {@link FRAMEWORKS}. */
export const ADAPTER_NAMES: readonly AdapterName[] = [...new Set(ENTRIES.map((entry) => entry.adapter))];

/** The entry of `framework`. */
export function frameworkEntry(framework: Framework): FrameworkEntry {
  const entry = ENTRIES.find((candidate) => candidate.name === framework);
  if (!entry) throw new Error(`no framework named ${framework}`);
  return entry;
}

/** The majors of one adapter, in the order of {@link FRAMEWORKS}. */
export const majorsOf = (adapter: AdapterName): Framework[] =>
  ENTRIES.filter((entry) => entry.adapter === adapter).map((entry) => entry.name);

/** The newest major of `adapter`. */
export function newestOf(adapter: AdapterName): Framework {
  const entry = ENTRIES.find((candidate) => candidate.adapter === adapter && candidate.newest);
  if (!entry) throw new Error(`no newest major for the adapter ${adapter}`);
  return entry.name;
}

export * from './app-spec.js';
