import { describe, expect, it } from 'vitest';
import { byContactAndType } from '../../../src/main/ledger/projection';
import { createTurnBudget, sortInTurns, type TurnBudget } from '../../../src/main/integrity/turn-budget';
import { seededRandom } from '../../helpers/seeded-random';

// A budget that is always due: every check point becomes a turn, counted.
const everyCheck = (): TurnBudget & { turns: number } => {
  const b = { turns: 0, due: () => true, next: async () => void (b.turns += 1) };
  return b;
};

describe('sortInTurns', () => {
  it('sorts like the engine does, at every size around its run and merge boundaries', async () => {
    const random = seededRandom(24);
    for (const n of [0, 1, 2, 1023, 1024, 1025, 3000, 4097, 20_000]) {
      const keys = Array.from({ length: n }, (_, i) => [`c${Math.floor(random() * 1e9)}-${i}`, random() < 0.5 ? 'mkt' : 'svc'] as [string, string]);
      const sorted = await sortInTurns(keys, byContactAndType, createTurnBudget(1000));
      expect(sorted, `n=${n}`).toEqual([...keys].sort(byContactAndType));
      expect(keys).toHaveLength(n);
    }
  });

  it('gives the thread back between runs and inside merges, and the order does not depend on the turns', async () => {
    const random = seededRandom(7);
    const keys = Array.from({ length: 10_000 }, (_, i) => [`c${Math.floor(random() * 1e6)}`, `t${i}`] as [string, string]);
    const budget = everyCheck();
    const sorted = await sortInTurns(keys, byContactAndType, budget);
    expect(sorted).toEqual([...keys].sort(byContactAndType));
    // 10 runs of 1,024, then 4 merge levels over 10,000 items checked every 512.
    expect(budget.turns).toBeGreaterThan(10 + 4 * Math.floor(10_000 / 512) - 4);
  });

  it('a budget is due once its time is used, and not right after a turn', async () => {
    const budget = createTurnBudget(0);
    expect(budget.due()).toBe(true);
    const long = createTurnBudget(60_000);
    await long.next();
    expect(long.due()).toBe(false);
  });
});
