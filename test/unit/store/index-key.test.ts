import { describe, expect, it } from 'vitest';
import { fillWithDefaultSettings, getIndexMeta, type RxDocumentData } from 'rxdb';
import { createIndexKeyEncoder, encodeIndexParts } from '../../../src/main/store/rx-storage-sqlite/index-key';
import { makeTestEvents, testEventSchema, type TestEvent } from '../../fixtures/store/conformance-schemas';
import { seededRandom } from '../../helpers/seeded-random';

// Every boundary of the encoding: controls, space, printable ASCII (stored as itself) up to DEL,
// the one-byte high range (U+0080-U+00FF), wide code units and surrogate pairs.
const ALPHABET = ['a', 'b', ' ', '\t', '\u0000', '\u001f', '!', 'z', '~', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u0100', '\uffff', '\ud83d\ude00', '0'];
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

  it('writes the same key from raw field values as from RxDB padded index strings', () => {
    const schema = fillWithDefaultSettings(testEventSchema);
    const docs = makeTestEvents(300).map((doc, i) => ({
      ...doc,
      contactId: i % 11 === 0 ? `${doc.contactId}  ` : doc.contactId,
      typeId: i % 13 === 0 ? '' : doc.typeId,
      _deleted: i % 5 === 0,
      _attachments: {},
      _rev: '1-a',
      _meta: { lwt: 1_700_000_000_000 + i * 0.5 },
    })) as RxDocumentData<TestEvent>[];
    for (const index of schema.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : [...index];
      const meta = getIndexMeta(schema, fields);
      const kinds = meta.map((m) => (m.schemaPart.type === 'string' ? 'string' as const : 'fixed' as const));
      const encoder = createIndexKeyEncoder(schema, fields);
      for (const doc of docs) {
        const expected = encodeIndexParts(meta.map((m) => m.getIndexStringPart(doc)), kinds);
        expect(encoder.key(doc).equals(expected), `${fields.join(',')} of ${doc.id}`).toBe(true);
        expect(encoder.keyView(doc).equals(expected)).toBe(true);
      }
    }
  });
});
