import { visitsBody } from '../contenders/shared.js';
import { cookieOf, visit } from './drive.js';
import { type Engine, type EngineOptions, floorOf, sessStore } from './engines.js';
import type { FrameworkApps } from './frameworks/types.js';
import { type Handler, handlerOf } from './handler.js';

export const FRAMEWORKS = ['koa', 'express', 'fastify', 'hono'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The framework alone, the hand-written floor in it, or sess's adapter for it. */
export type Kind = 'bare' | 'floor' | 'sess';

/** What to build: `root` is the checkout whose `packages/*\/dist` sess comes from (for `sess`). */
export interface ContenderSpec extends EngineOptions {
  kind: Kind;
  framework: Framework;
  engine: Engine;
  root: string;
}

/** An app ready for returning visitors: the cookie is the one its own first visit set. */
export interface Contender {
  handler: Handler;
  cookie: string | undefined;
  /** The body of the returning visit after `returning` earlier ones (the first visit not counted). */
  expectedBody(returning: number): string;
  close(): void;
}

/** What a returning visitor sends to the bare framework, which reads no cookie: one of the floor's shape. */
const BARE_COOKIE = `sid=${'i'.repeat(24)}.${'s'.repeat(43)}`;

async function appsOf(framework: Framework): Promise<FrameworkApps> {
  // One framework loaded per process: the others would only grow the heap the collector walks.
  switch (framework) {
    case 'koa':
      return (await import('./frameworks/koa.js')).koa;
    case 'express':
      return (await import('./frameworks/express.js')).express5;
    case 'fastify':
      return (await import('./frameworks/fastify.js')).fastify;
    case 'hono':
      return (await import('./frameworks/hono.js')).hono;
  }
}

/** The count a returning visit answers: the stub stores hold 5, a sealed cookie sent again holds 1. */
function expectedVisits(spec: ContenderSpec, returning: number): number {
  if (spec.kind === 'bare' || spec.engine === 'stub') return 6;
  if (spec.engine === 'cookie') return 2;
  return returning + 2;
}

/** Builds one contender and makes its first visit (checked: it must set a cookie and count 1). */
export async function contender(spec: ContenderSpec): Promise<Contender> {
  const apps = await appsOf(spec.framework);
  let close = (): void => {};
  let listener: Awaited<ReturnType<FrameworkApps['bare']>>;
  if (spec.kind === 'bare') listener = await apps.bare();
  else if (spec.kind === 'floor') {
    const floor = await floorOf(spec.engine, spec);
    close = floor.close;
    listener = await apps.floor(floor.value);
  } else {
    const store = await sessStore(spec.engine, spec.root, spec);
    close = store.close;
    listener = await apps.sess(spec.root, store.value);
  }
  const handler = handlerOf(listener);
  const expectedBody = (returning: number) => visitsBody(expectedVisits(spec, returning));
  if (spec.kind === 'bare') return { handler, cookie: BARE_COOKIE, expectedBody, close };
  const first = await visit(handler, undefined);
  const cookie = cookieOf(first);
  if (first.statusCode !== 200 || cookie === undefined)
    throw new Error(
      `inproc: ${spec.kind} on ${spec.framework}/${spec.engine} set no cookie on a first visit`,
    );
  return { handler, cookie, expectedBody, close };
}
