// Sorting 100,000 contacts by name with the Polish collator takes seconds on a slow
// machine, too long to block the main process (IPC, the UI's first page). These pieces
// let the directory answer the first page by selection, sort the rest in slices in the
// background, and afterwards keep the order by merging in the few contacts that changed.

export type SlotCompare = (a: number, b: number) => number;

// The `k` smallest of `slots` in order: one comparison per candidate against the
// current k-th, so about n comparisons for a page instead of n·log n for a full sort.
export function smallestK(slots: Iterable<number>, k: number, cmp: SlotCompare): number[] {
  if (k <= 0) return [];
  // A max-heap of the best k so far: its root is the worst of them.
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (cmp(heap[i] ?? 0, heap[parent] ?? 0) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent] ?? 0, heap[i] ?? 0];
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && cmp(heap[l] ?? 0, heap[top] ?? 0) > 0) top = l;
      if (r < heap.length && cmp(heap[r] ?? 0, heap[top] ?? 0) > 0) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top] ?? 0, heap[i] ?? 0];
      i = top;
    }
  };
  for (const s of slots) {
    if (heap.length < k) {
      heap.push(s);
      up(heap.length - 1);
    } else if (cmp(s, heap[0] ?? 0) < 0) {
      heap[0] = s;
      down(0);
    }
  }
  return heap.sort(cmp);
}

// A bottom-up merge sort that can stop after any slice of work and resume later.
export type SliceSort = { step(budget: number): boolean; result(): number[] };

const BLOCK = 1024;

export function createSliceSort(input: readonly number[], cmp: SlotCompare): SliceSort {
  const runs: number[][] = [];
  let blockAt = 0;
  // The merge in progress: two runs, their read positions, the output so far.
  let merging: { a: number[]; b: number[]; i: number; j: number; out: number[] } | null = null;
  let done = input.length === 0;

  const step = (budget: number): boolean => {
    let work = 0;
    while (!done && work < budget) {
      if (blockAt < input.length) {
        const block = input.slice(blockAt, blockAt + BLOCK);
        block.sort(cmp);
        runs.push(block);
        blockAt += block.length;
        work += block.length * 10;
        continue;
      }
      if (!merging) {
        if (runs.length <= 1) {
          done = true;
          break;
        }
        const a = runs.shift() ?? [];
        const b = runs.shift() ?? [];
        merging = { a, b, i: 0, j: 0, out: [] };
      }
      const m: { a: number[]; b: number[]; i: number; j: number; out: number[] } = merging;
      while (m.i < m.a.length && m.j < m.b.length && work < budget) {
        const x = m.a[m.i] ?? 0;
        const y = m.b[m.j] ?? 0;
        // Stable: on a tie the earlier run goes first.
        if (cmp(x, y) <= 0) {
          m.out.push(x);
          m.i += 1;
        } else {
          m.out.push(y);
          m.j += 1;
        }
        work += 1;
      }
      if (m.i >= m.a.length || m.j >= m.b.length) {
        for (let i = m.i; i < m.a.length; i++) m.out.push(m.a[i] ?? 0);
        for (let j = m.j; j < m.b.length; j++) m.out.push(m.b[j] ?? 0);
        runs.push(m.out);
        merging = null;
      }
    }
    return done;
  };
  return {
    step,
    result: () => {
      while (!step(Number.MAX_SAFE_INTEGER));
      return runs[0] ?? [];
    },
  };
}

// Puts `moved` (sorted, none of them in `base`) into the sorted `base` by binary search:
// k·log n comparisons and one copy, where a re-sort would cost n·log n.
export function mergeInto(base: readonly number[], moved: readonly number[], cmp: SlotCompare): number[] {
  if (moved.length === 0) return base.slice();
  const out: number[] = [];
  let from = 0;
  for (const m of moved) {
    let lo = from;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(base[mid] ?? 0, m) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(base[i] ?? 0);
    out.push(m);
    from = lo;
  }
  for (let i = from; i < base.length; i++) out.push(base[i] ?? 0);
  return out;
}
