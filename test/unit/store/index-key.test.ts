import { describe, expect, it } from 'vitest';
import { fillWithDefaultSettings, getIndexMeta, type RxDocumentData, type RxJsonSchema } from 'rxdb';
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

  it('writes number and boolean parts byte for byte like RxDB renders them', () => {
    type NumberDoc = { id: string; count: number; price: number; offset: number; fine: number; flag: boolean };
    const schema = fillWithDefaultSettings({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 20 },
        count: { type: 'integer', minimum: 0, maximum: 1_000_000_000_000_000, multipleOf: 1 },
        price: { type: 'number', minimum: 0, maximum: 100_000, multipleOf: 0.1 },
        offset: { type: 'number', minimum: -250.5, maximum: 999.25, multipleOf: 0.01 },
        fine: { type: 'number', minimum: 0, maximum: 10, multipleOf: 0.001 },
        flag: { type: 'boolean' },
      },
      required: ['id', 'count', 'price', 'offset', 'fine', 'flag'],
    } as RxJsonSchema<NumberDoc>);
    const edges = [
      0, -0, 1, 9, 10, 0.1, 0.05, 0.995, 0.9995, 0.9999, 1.005, 2.675, 9.995, 10.5, 99.99, 999.25, 999.26, 1000,
      -1, -0.5, -0.004, -250.5, -250.51, -251, -1e9, 0.1 + 0.2, 1 / 3, 2 / 3, 123456.785, 99_999.95, 100_000, 100_001,
      2 ** 31, 2 ** 32 + 0.5, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e15, 1e15 + 1, 1e15 - 0.01, 1e16, 1e21, 1e300,
      Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, Infinity, -Infinity, NaN, undefined,
      1_700_000_000_000, 1_700_000_000_000.01, 1_700_000_000_000.005, 1_700_000_000_123.45, 1_764_012_345_678.99, 1.01,
    ];
    const random = seededRandom(11);
    const values: (number | undefined)[] = [...edges];
    for (let n = 0; n < 3000; n++) {
      const scale = 10 ** Math.floor(random() * 16);
      const decimals = Math.floor(random() * 4);
      const raw = (random() - 0.1) * scale;
      // Values on a decimal grid (as written by the app) and arbitrary doubles between them.
      values.push(n % 2 === 0 ? Math.round(raw * 10 ** decimals) / 10 ** decimals : raw);
      values.push(Date.now() + Math.round(random() * 1e8) / 100);
    }
    const docs = values.map((value, i) => ({
      id: `d${i}`,
      count: value,
      price: value,
      offset: value,
      fine: value,
      flag: i % 3 === 0 ? Boolean(value) : value,
      _deleted: i % 2 === 0,
      _attachments: {},
      _rev: '1-a',
      _meta: { lwt: value },
    })) as unknown as RxDocumentData<NumberDoc>[];
    for (const fields of [['count'], ['price'], ['offset'], ['fine'], ['flag'], ['_meta.lwt'], ['_deleted', 'flag', '_meta.lwt', 'id']]) {
      const meta = getIndexMeta(schema, fields);
      const kinds = meta.map((m) => (m.schemaPart.type === 'string' ? 'string' as const : 'fixed' as const));
      const encoder = createIndexKeyEncoder(schema, fields);
      for (const doc of docs) {
        const expected = encodeIndexParts(meta.map((m) => m.getIndexStringPart(doc)), kinds);
        const label = `${fields.join(',')} of ${String(doc.count)}`;
        expect(encoder.keyView(doc).toString('latin1'), label).toBe(expected.toString('latin1'));
        expect(encoder.key(doc).equals(expected), label).toBe(true);
      }
    }
  });
});
