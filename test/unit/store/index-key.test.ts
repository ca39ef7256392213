import { describe, expect, it } from 'vitest';
import { encodeIndexParts } from '../../../src/main/store/rx-storage-sqlite/index-key';
import { seededRandom } from '../../fixtures/store/seeded-random';

const ALPHABET = ['a', 'b', ' ', '\t', '\u0000', '\u001f', '!', 'z', '\u00e9', '\uffff', '\ud83d\ude00', '0'];
const MAX = 6;

// RxDB's ordering: strings padded with spaces to maxLength, compared by UTF-16 code unit.
const rxdbOrder = (a: string, b: string): number => {
  const pa = a.padEnd(MAX * 2, ' ');
  const pb = b.padEnd(MAX * 2, ' ');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
};

describe('index key encoding', () => {
  it('orders string parts exactly like RxDB padded index strings', () => {
    const random = seededRandom(7);
    const strings: string[] = [];
    for (let n = 0; n < 600; n++) {
      let s = '';
      const length = Math.floor(random() * MAX);
      for (let i = 0; i < length; i++) {
        s += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'a';
      }
      strings.push(s);
    }
    for (let n = 0; n < 4000; n++) {
      const a = strings[Math.floor(random() * strings.length)] ?? '';
      const b = strings[Math.floor(random() * strings.length)] ?? '';
      const encoded = Math.sign(Buffer.compare(encodeIndexParts([a], ['string']), encodeIndexParts([b], ['string'])));
      expect(encoded, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(rxdbOrder(a, b));
    }
  });

  it('compares multi-part keys part by part', () => {
    const key = (s: string, n: string) => encodeIndexParts([s, n], ['string', 'fixed']);
    expect(Buffer.compare(key('a', '0002'), key('a ', '0001'))).toBe(1);
    expect(Buffer.compare(key('a', '9999'), key('a!', '0000'))).toBe(-1);
    expect(Buffer.compare(key('a\t', '0000'), key('a', '0000'))).toBe(-1);
  });
});
