import { describe, expect, it } from 'vitest';
import { createSliceSort, mergeInto, smallestK } from '../../../src/main/contacts/sorted-slots';
import { createSlotOrder } from '../../../src/main/contacts/slot-order';

const collator = new Intl.Collator('pl', { sensitivity: 'base', numeric: true });
const NAMES = ['Łukasz 10', 'Lucyna 9', 'anna 2', 'Anna 10', 'Żaneta', 'Zofia', 'Ścibor', 'Sara', 'ewa', 'Ewa 1'];

// A deterministic pseudo-random source, so a failure reproduces.
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

describe('sorted slots', () => {
  const values = Array.from({ length: 5000 }, (_, i) => `${NAMES[i % NAMES.length] ?? ''} ${(i * 7919) % 1000}`);
  const cmp = (a: number, b: number) => collator.compare(values[a] ?? '', values[b] ?? '') || a - b;
  const expected = values.map((_, i) => i).sort(cmp);

  it('sorts in slices to the same order as a full sort', () => {
    const sort = createSliceSort(values.map((_, i) => i), cmp);
    let steps = 0;
    while (!sort.step(500)) steps += 1;
    expect(steps).toBeGreaterThan(10);
    expect(sort.result()).toEqual(expected);
  });

  it('picks the first k like a full sort would', () => {
    expect(smallestK(values.map((_, i) => i), 200, cmp)).toEqual(expected.slice(0, 200));
    expect(smallestK([3, 1, 2], 10, (a, b) => a - b)).toEqual([1, 2, 3]);
    expect(smallestK([3, 1, 2], 0, (a, b) => a - b)).toEqual([]);
  });

  it('merges sorted newcomers into a sorted base', () => {
    const moved = expected.filter((_, i) => i % 97 === 0);
    const base = expected.filter((_, i) => i % 97 !== 0);
    expect(mergeInto(base, moved, cmp)).toEqual(expected);
  });
});

describe('slot order', () => {
  it('stays equal to a fresh sort while values change, before, during and after the background sort', async () => {
    const next = random(42);
    const values: Array<string | undefined> = Array.from({ length: 3000 }, (_, i) => `${NAMES[i % NAMES.length] ?? ''} ${i % 37}`);
    const ids = values.map((_, i) => `id-${String(i).padStart(5, '0')}`);
    const order = createSlotOrder(
      { valueOf: (s) => values[s], idOf: (s) => ids[s] ?? '', slotCount: () => values.length },
      (a, b) => collator.compare(a, b),
    );
    const reference = () =>
      values
        .map((v, s) => ({ v, s }))
        .filter((x) => x.v !== undefined)
        .sort((a, b) => collator.compare(a.v ?? '', b.v ?? '') || (ids[a.s] ?? '').localeCompare(ids[b.s] ?? ''))
        .map((x) => x.s);
    const mutate = (n: number) => {
      for (let i = 0; i < n; i++) {
        const s = Math.floor(next() * (values.length + 5));
        if (s >= values.length) {
          values.push(`${NAMES[s % NAMES.length] ?? ''} new`);
          ids.push(`id-new-${s}-${i}`);
          order.touch(values.length - 1);
        } else {
          values[s] = next() < 0.2 ? undefined : `${NAMES[Math.floor(next() * NAMES.length)] ?? ''} ${i}`;
          order.touch(s);
        }
      }
    };
    const first = order.first(50, false, null);
    expect(first.slots).toEqual(reference().slice(0, 50));
    expect(order.first(20, true, (s) => s % 2 === 0).slots).toEqual(reference().filter((s) => s % 2 === 0).reverse().slice(0, 20));
    order.warm();
    mutate(50);
    // Let a few background slices run, with changes in between.
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      mutate(20);
    }
    expect(order.all()).toEqual(reference());
    expect(order.isReady()).toBe(true);
    mutate(200);
    expect(order.all()).toEqual(reference());
  });
});
