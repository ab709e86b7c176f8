import { LINEUP } from './lineup.js';

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

/** The mixes where a sess contender is held to its floor: load + modify + save, for returning and new visitors. */
const FLOOR_MIXES: readonly MixId[] = ['returning', 'new'];
/** The ratio to the floor every sess contender must reach. */
const FLOOR_RATIO = 0.9;
/** The ratio to its like-for-like peer every sess contender must reach, on every mix. */
const PEER_RATIO = 1.0;

/**
 * The speed targets, derived from the line-up: every sess contender ≥ 0.9× its floor (same framework and
 * engine) on both the returning and the new-visitor mix; ≥ 1.0× its fairly configured peer on every mix; and
 * on each framework the memory engine at least as fast as every other sess engine on both mixes.
 */
export const SPEED_TARGETS: readonly SpeedTarget[] = LINEUP.filter((spec) => spec.kind === 'sess').flatMap(
  (spec) => {
    const targets: SpeedTarget[] = [];
    if (spec.floor) {
      for (const mix of FLOOR_MIXES) {
        targets.push({
          subject: spec.id,
          reference: spec.floor,
          ratio: FLOOR_RATIO,
          mix,
          why: `${spec.label} vs its floor`,
        });
      }
    }
    if (spec.peer) {
      for (const mix of MIX_ORDER) {
        targets.push({
          subject: spec.id,
          reference: spec.peer,
          ratio: PEER_RATIO,
          mix,
          why: `${spec.label} vs ${spec.peer}`,
        });
      }
    }
    if (spec.store !== 'memory') {
      const memory = `sess-${spec.framework}-memory`;
      for (const mix of FLOOR_MIXES) {
        targets.push({
          subject: memory,
          reference: spec.id,
          ratio: 1,
          mix,
          why: `the memory engine vs ${spec.store} on ${spec.framework}`,
        });
      }
    }
    return targets;
  },
);

/** Round trips per request that the issue asks of sess: [reads, writes]. */
export const OPS_TARGETS: Record<'modifying' | 'unmodified' | 'untouched', [number, number]> = {
  modifying: [1, 1],
  unmodified: [1, 0],
  untouched: [0, 0],
};
