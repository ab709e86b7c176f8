import type { ContenderSpec } from './contenders/types.js';

/** Rotates `items` left by `by` places (`by` may exceed the length). */
function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const offset = by % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}

interface Block {
  /** Each sess contender with its floor and its peer, those of them that are in the line-up. */
  groups: ContenderSpec[][];
  /** The framework's contenders that are no selected sess contender's floor or peer. */
  rest: ContenderSpec[];
}

/**
 * The order the contenders of `lineup` run in, in round `round` (1-based): every contender exactly once.
 *
 * On a shared machine throughput drifts by tens of percent over minutes, so the two sides of every target run
 * close together in each round: each sess contender runs right next to its floor and its peer (a group), and all
 * groups of one framework run together (a block, so the memory engine and the other engines of that framework
 * run minutes apart), followed by that framework's contenders of no group (bare frameworks, a floor or peer
 * whose sess contender is not in `lineup`). So that no contender always runs first or last, the blocks and the
 * groups within each block rotate by one place per round, and the order inside each group is reversed on even
 * rounds. Deterministic: the same line-up and round give the same order.
 */
export function roundOrder(lineup: readonly ContenderSpec[], round: number): ContenderSpec[] {
  const byId = new Map(lineup.map((spec) => [spec.id, spec]));
  const grouped = new Set<string>();
  const blocks = new Map<ContenderSpec['framework'], Block>();
  const blockOf = (spec: ContenderSpec): Block => {
    let block = blocks.get(spec.framework);
    if (!block) {
      block = { groups: [], rest: [] };
      blocks.set(spec.framework, block);
    }
    return block;
  };
  // Blocks come in the order their framework first appears in the line-up.
  for (const spec of lineup) blockOf(spec);
  for (const spec of lineup.filter((s) => s.kind === 'sess')) {
    const group = [spec];
    grouped.add(spec.id);
    for (const id of [spec.floor, spec.peer]) {
      const member = id === undefined ? undefined : byId.get(id);
      if (member && !grouped.has(member.id)) {
        group.push(member);
        grouped.add(member.id);
      }
    }
    blockOf(spec).groups.push(group);
  }
  for (const spec of lineup) if (!grouped.has(spec.id)) blockOf(spec).rest.push(spec);

  const turn = round - 1;
  return rotate([...blocks.values()], turn).flatMap((block) => [
    ...rotate(block.groups, turn).flatMap((group) => (round % 2 === 0 ? [...group].reverse() : group)),
    ...block.rest,
  ]);
}
