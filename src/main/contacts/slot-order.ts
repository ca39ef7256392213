import { createSliceSort, mergeInto, smallestK, type SliceSort, type SlotCompare } from './sorted-slots';

// One sort order of the directory's contacts (by name, createdAt or updatedAt), over
// slot numbers. Built in the background in slices on first use; afterwards a contact
// that was added, edited or removed is only marked, and the next read moves the
// marked ones into place (k·log n) instead of sorting all n again.

export type SlotOrder = {
  // The slot's sort value may have changed, or it was added or removed.
  touch(slot: number): void;
  // Whether the whole order is known without more than a linear pass.
  isReady(): boolean;
  // Starts the background sort if nothing has started it yet.
  warm(): void;
  // Every live slot in ascending order; finishes a background sort synchronously.
  all(): readonly number[];
  // The k first live slots that `accept` lets through, ascending (or descending),
  // and how many it accepts in all, without sorting everything.
  first(k: number, descending: boolean, accept: ((slot: number) => boolean) | null): { slots: number[]; total: number };
};

export type SlotSource = {
  // The slot's sort value, or undefined when the slot holds no contact.
  valueOf(slot: number): string | undefined;
  idOf(slot: number): string;
  slotCount(): number;
};

// Slices of background work: small enough that IPC and timers stay responsive.
const SLICE_MS = 8;
const STEP_WORK = 4096;

export function createSlotOrder(source: SlotSource, primary: (a: string, b: string) => number): SlotOrder {
  // The value each slot had when it was put in place: the order stays consistent while
  // contacts change underneath a running sort (changed ones are marked and re-placed).
  const placed: string[] = [];
  let sorted: number[] | null = null;
  let job: SliceSort | null = null;
  const dirty = new Set<number>();

  const idCompare = (a: number, b: number) => source.idOf(a).localeCompare(source.idOf(b));
  const cmpPlaced: SlotCompare = (a, b) => primary(placed[a] ?? '', placed[b] ?? '') || idCompare(a, b);
  const cmpCurrent: SlotCompare = (a, b) => primary(source.valueOf(a) ?? '', source.valueOf(b) ?? '') || idCompare(a, b);

  const liveSlots = () => {
    const out: number[] = [];
    for (let s = 0, n = source.slotCount(); s < n; s++) {
      const v = source.valueOf(s);
      if (v !== undefined) {
        placed[s] = v;
        out.push(s);
      }
    }
    return out;
  };

  const start = () => {
    if (sorted || job) return;
    dirty.clear();
    const running = createSliceSort(liveSlots(), cmpPlaced);
    job = running;
    const slice = () => {
      if (job !== running) return;
      const until = performance.now() + SLICE_MS;
      let done = false;
      while (!done && performance.now() < until) done = running.step(STEP_WORK);
      if (done) {
        sorted = running.result();
        job = null;
      } else setImmediate(slice);
    };
    setImmediate(slice);
  };

  const settle = (): number[] => {
    if (!sorted && !job) start();
    if (job) {
      sorted = job.result();
      job = null;
    }
    const base = sorted ?? [];
    if (dirty.size === 0) return base;
    const moved: number[] = [];
    for (const s of dirty) {
      const v = source.valueOf(s);
      if (v === undefined) continue;
      placed[s] = v;
      moved.push(s);
    }
    moved.sort(cmpPlaced);
    const kept = base.filter((s) => !dirty.has(s));
    dirty.clear();
    sorted = mergeInto(kept, moved, cmpPlaced);
    return sorted;
  };

  return {
    touch(slot) {
      if (sorted || job) dirty.add(slot);
    },
    isReady: () => sorted !== null && job === null,
    warm: start,
    all: settle,
    first(k, descending, accept) {
      const cmp: SlotCompare = descending ? (a, b) => cmpCurrent(b, a) : cmpCurrent;
      let total = 0;
      const candidates = function* () {
        for (let s = 0, n = source.slotCount(); s < n; s++) {
          if (source.valueOf(s) === undefined || (accept && !accept(s))) continue;
          total += 1;
          yield s;
        }
      };
      const slots = smallestK(candidates(), k, cmp);
      return { slots, total };
    },
  };
}
