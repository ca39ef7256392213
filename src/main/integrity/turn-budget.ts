import { performance } from 'node:perf_hooks';

/*
 * Work that runs on the main thread in turns: a loop asks `due()` (cheap, synchronous) after
 * each item and, when the turn has used its budget, awaits `next()`, which lets the event loop
 * run (the window's calls, timers) before the next turn. Measured by the clock, not by item
 * count, so a slow machine gets shorter turns instead of longer stalls.
 */
export type TurnBudget = { due(): boolean; next(): Promise<void> };

export const DEFAULT_TURN_MS = 8;

export function createTurnBudget(budgetMs = DEFAULT_TURN_MS): TurnBudget {
  let started = performance.now();
  return {
    due: () => performance.now() - started >= budgetMs,
    next: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    },
  };
}

// Runs sorted by the engine's own sort are this long: each takes well under a millisecond.
const RUN = 1024;
// The clock is read once per this many merged items.
const CHECK_EVERY = 512;

// A merge sort in turns: the same order as `items.sort(compare)` for a total order (keys that
// never compare equal), without one sort of a few hundred thousand items holding the thread.
export async function sortInTurns<T>(items: readonly T[], compare: (a: T, b: T) => number, budget: TurnBudget): Promise<T[]> {
  const n = items.length;
  let source: T[] = [];
  for (let lo = 0; lo < n; lo += RUN) {
    source.push(...items.slice(lo, lo + RUN).sort(compare));
    if (budget.due()) await budget.next();
  }
  let target: T[] = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        const a = source[i] as T;
        const b = source[j] as T;
        if (j >= hi || (i < mid && compare(a, b) <= 0)) {
          target[k] = a;
          i++;
        } else {
          target[k] = b;
          j++;
        }
        if (k % CHECK_EVERY === 0 && budget.due()) await budget.next();
      }
    }
    [source, target] = [target, source];
  }
  return source;
}
