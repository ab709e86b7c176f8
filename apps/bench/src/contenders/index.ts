import type { StartContender } from './types.js';

/** The contender modules by name, loaded on demand (a server process imports only its own). */
export const CONTENDER_MODULES: Record<string, () => Promise<{ start: StartContender }>> = {
  'sess-koa': () => import('./sess-koa.js'),
  'sess-express': () => import('./sess-express.js'),
  'sess-fastify': () => import('./sess-fastify.js'),
  'sess-hono': () => import('./sess-hono.js'),
  'hono-session': () => import('./hono-session.js'),
  'express-session': () => import('./express-session.js'),
  'koa-session': () => import('./koa-session.js'),
  'fastify-session': () => import('./fastify-session.js'),
  'fastify-secure-session': () => import('./fastify-secure-session.js'),
  floor: () => import('./floor.js'),
  bare: () => import('./bare.js'),
};

/** Starts contender `module` in this process. */
export async function startContender(
  module: string,
  options: Parameters<StartContender>[0],
): ReturnType<StartContender> {
  const load = CONTENDER_MODULES[module];
  if (!load) throw new Error(`bench: no contender module ${module}`);
  const { start } = await load();
  return start(options);
}
