import { describe, expect, it } from 'vitest';
import type { ContenderSpec } from '../src/contenders/types.js';
import { LINEUP } from '../src/lineup.js';
import { roundOrder } from '../src/round-order.js';

const ROUNDS = [1, 2, 3, 4];
const ids = (specs: readonly ContenderSpec[]) => specs.map((spec) => spec.id);
const sessContenders = LINEUP.filter((spec) => spec.kind === 'sess');
const partnersOf = (spec: ContenderSpec, lineup: readonly ContenderSpec[]) =>
  [spec.floor, spec.peer].filter((id): id is string => id !== undefined && lineup.some((s) => s.id === id));

/** Asserts that `members` sit next to each other in `order`, in any order. */
function expectContiguous(order: string[], members: string[], what: string) {
  const at = members.map((id) => order.indexOf(id));
  expect(at, what).not.toContain(-1);
  expect(Math.max(...at) - Math.min(...at), what).toBe(members.length - 1);
}

describe('roundOrder', () => {
  it('runs every contender of the line-up exactly once per round', () => {
    for (const round of ROUNDS) {
      const order = ids(roundOrder(LINEUP, round));
      expect(order, `round ${round}`).toHaveLength(LINEUP.length);
      expect([...order].sort(), `round ${round}`).toEqual(ids(LINEUP).sort());
    }
  });

  it('runs every sess contender right next to its floor and its peer', () => {
    for (const round of ROUNDS) {
      const order = ids(roundOrder(LINEUP, round));
      for (const spec of sessContenders) {
        const partners = partnersOf(spec, LINEUP);
        expect(partners.length, spec.id).toBeGreaterThan(0);
        for (const id of partners) {
          expect(
            Math.abs(order.indexOf(id) - order.indexOf(spec.id)),
            `${spec.id} / ${id}, round ${round}`,
          ).toBeLessThanOrEqual(2);
        }
        expectContiguous(order, [spec.id, ...partners], `${spec.id}, round ${round}`);
      }
    }
  });

  it('runs all contenders of one framework together', () => {
    for (const round of ROUNDS) {
      const order = roundOrder(LINEUP, round);
      const frameworks = order.map((spec) => spec.framework).filter((fw, i, all) => fw !== all[i - 1]);
      expect(frameworks, `round ${round}`).toEqual([...new Set(frameworks)]);
    }
  });

  it('rotates the groups within each framework from one round to the next', () => {
    const firstSess = (round: number) =>
      new Map(
        roundOrder(LINEUP, round)
          .filter((spec) => spec.kind === 'sess')
          .reverse()
          .map((spec) => [spec.framework, spec.id]),
      );
    const [first, second] = [firstSess(1), firstSess(2)];
    expect(first.size).toBe(4);
    for (const [framework, id] of first) expect(second.get(framework), framework).not.toBe(id);
  });

  it('swaps the order inside each pair from one round to the next', () => {
    const first = ids(roundOrder(LINEUP, 1));
    const second = ids(roundOrder(LINEUP, 2));
    for (const spec of sessContenders) {
      for (const id of partnersOf(spec, LINEUP)) {
        const before = first.indexOf(spec.id) < first.indexOf(id);
        expect(second.indexOf(spec.id) < second.indexOf(id), `${spec.id} / ${id}`).toBe(!before);
      }
    }
  });

  it('starts and ends each round with a different contender', () => {
    const orders = ROUNDS.map((round) => ids(roundOrder(LINEUP, round)));
    expect(new Set(orders.map((order) => order[0])).size).toBe(ROUNDS.length);
    expect(new Set(orders.map((order) => order.at(-1))).size).toBeGreaterThan(1);
    expect(orders[0]?.[0]).not.toBe(orders[1]?.[0]);
  });

  it('is the same order every time for the same round', () => {
    expect(ids(roundOrder(LINEUP, 3))).toEqual(ids(roundOrder(LINEUP, 3)));
  });

  it('keeps a --only subset whole, with the pair members together', () => {
    const only = ['sess-koa-redis', 'floor-redis-koa', 'koa-session-redis', 'bare-koa', 'floor-redis-http'];
    const subset = LINEUP.filter((spec) => only.includes(spec.id));
    expect(ids(subset).sort()).toEqual([...only].sort());
    for (const round of ROUNDS) {
      const order = ids(roundOrder(subset, round));
      expect([...order].sort(), `round ${round}`).toEqual([...only].sort());
      expectContiguous(order, ['sess-koa-redis', 'floor-redis-koa', 'koa-session-redis'], `round ${round}`);
    }
  });

  it('runs a floor or peer whose sess contender is not selected, in its framework block', () => {
    const only = ['koa-session-redis', 'floor-redis-koa', 'sess-express-memory', 'floor-memory-express'];
    const order = ids(
      roundOrder(
        LINEUP.filter((spec) => only.includes(spec.id)),
        1,
      ),
    );
    expect([...order].sort()).toEqual([...only].sort());
    expectContiguous(order, ['koa-session-redis', 'floor-redis-koa'], 'koa block');
    expectContiguous(order, ['sess-express-memory', 'floor-memory-express'], 'express group');
  });
});
