import { describe, expect, it } from 'vitest';
import { compareNames } from '../../../src/main/contacts/name-compare';

const collator = new Intl.Collator('pl', { sensitivity: 'base', numeric: true });
const sign = (n: number) => Math.sign(n);

// A deterministic generator (no Math.random): the same strings on every run.
function* names(count: number) {
  const alphabet = ['a', 'A', 'b', 'Z', 'z', 'l', 'L', 'ł', 'Ł', 'ą', 'Ą', 'ś', 'Ż', 'é', 'o', 'ó', '0', '1', '9', '10', ' ', '-', '.', "'", '(', 'Ω', 'ß', 'ch', 'Ch'];
  let seed = 7;
  for (let i = 0; i < count; i++) {
    let s = '';
    const length = seed % 5;
    for (let j = 0; j <= length; j++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      s += alphabet[seed % alphabet.length] ?? '';
    }
    yield i % 17 === 0 ? '' : s;
  }
}

describe('comparing contact names', () => {
  it('orders exactly as the Polish collator does', () => {
    const all = [...names(600), 'Anna 9', 'Anna 10', 'anna', 'Łukasz', 'Lucyna', 'Zofia', 'Żaneta', 'Ścibor', 'Sara', 'Ewa', 'émile', 'Émile'];
    for (const a of all) for (const b of all) expect(sign(compareNames(a, b)), `${a} vs ${b}`).toBe(sign(collator.compare(a, b)));
  });

  it('sorts Polish names as a Polish reader expects', () => {
    expect(['Żaneta', 'Łukasz', 'anna 10', 'Lucyna', 'Anna 9', 'Zofia', 'Ścibor', 'Sara'].sort(compareNames)).toEqual([
      'Anna 9', 'anna 10', 'Lucyna', 'Łukasz', 'Sara', 'Ścibor', 'Zofia', 'Żaneta',
    ]);
  });
});
