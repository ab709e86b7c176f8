/** A speed target of the issue: `subject` req/s ≥ `ratio` × `reference` req/s, in the same run. */
export interface SpeedTarget {
  subject: string;
  reference: string;
  ratio: number;
  /** The mix the ratio is taken on. */
  mix: MixId;
  why: string;
}

/** The request mixes. */
export type MixId = 'returning' | 'new' | 'read' | 'static';

/** What each mix sends. */
export const MIXES: Record<MixId, { path: string; cookies: boolean; what: string }> = {
  returning: { path: '/visit', cookies: true, what: 'returning visitors: counter +1, cookie from a pool' },
  new: { path: '/visit', cookies: false, what: 'new visitors: counter +1, no cookie (creates a session)' },
  read: { path: '/read', cookies: true, what: 'read-only: session read, not modified' },
  static: { path: '/static', cookies: true, what: 'never touches the session (cookie sent)' },
};

/** The order mixes run in on one server: new visitors last, as they grow (and evict from) the stores. */
export const MIX_ORDER: readonly MixId[] = ['returning', 'read', 'static', 'new'];

/** Issue 8's speed targets (returning visitors). */
export const SPEED_TARGETS: readonly SpeedTarget[] = [
  {
    subject: 'sess-koa-redis',
    reference: 'koa-session-redis',
    ratio: 1.5,
    mix: 'returning',
    why: '@sess/koa + redis vs koa-session with an ioredis store',
  },
  {
    subject: 'sess-koa-redis',
    reference: 'floor-redis-koa',
    ratio: 0.9,
    mix: 'returning',
    why: '@sess/koa + redis vs the ioredis floor on Koa',
  },
  {
    subject: 'sess-express-redis',
    reference: 'express-session-redis',
    ratio: 1.3,
    mix: 'returning',
    why: '@sess/express + redis vs express-session + connect-redis',
  },
  {
    subject: 'sess-express-db',
    reference: 'express-session-pg',
    ratio: 1.3,
    mix: 'returning',
    why: '@sess/express + db vs express-session + connect-pg-simple',
  },
  {
    subject: 'sess-koa-cookie',
    reference: 'koa-session-cookie',
    ratio: 1.6,
    mix: 'returning',
    why: "@sess/koa + cookie (AES-GCM) vs koa-session's signed cookie",
  },
  {
    subject: 'sess-koa-cookie',
    reference: 'floor-cookie-koa',
    ratio: 0.9,
    mix: 'returning',
    why: '@sess/koa + cookie vs the AES-GCM cookie floor on Koa',
  },
];

/** Round trips per request that the issue asks of sess: [reads, writes]. */
export const OPS_TARGETS: Record<'modifying' | 'unmodified' | 'untouched', [number, number]> = {
  modifying: [1, 1],
  unmodified: [1, 0],
  untouched: [0, 0],
};
