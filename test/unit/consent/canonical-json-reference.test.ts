import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEventContent, computeEventHash, type UnsealedConsentEvent } from '../../../src/main/consent/event-hash';
import { canonicalJson } from '../../../src/shared/consent/canonical-json';

// Every stored event hash depends on canonicalJson's exact text, so its faster form is
// checked here against the plain definition (the earlier implementation, kept as the
// reference) over many generated values, and event hashes against sha-256 of it.

function reference(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('no JSON form');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item: unknown) => reference(item)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        if (record[key] === undefined) continue;
        members.push(`${JSON.stringify(key)}:${reference(record[key])}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError('no JSON form');
  }
}

// A small deterministic generator (no Math.random: failures must reproduce).
function generator(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const strings = ['', 'a', 'B', 'ą', 'Łódź', 'x"y', 'tab\there', 'line\r\nbreak', '\u2028', '😀', 'zz', 'aa', '10', '9', '__proto_'];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.35) {
      const k = Math.floor(next() * 6);
      if (k === 0) return null;
      if (k === 1) return next() < 0.5;
      if (k === 2) return Math.floor(next() * 2000) - 1000;
      if (k === 3) return next() * 1e6;
      return strings[Math.floor(next() * strings.length)];
    }
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 7); i > 0; i--) o[strings[Math.floor(next() * strings.length)] ?? 'k'] = next() < 0.1 ? undefined : value(depth + 1);
    return o;
  };
  return value;
}

const event = (i: number): UnsealedConsentEvent => ({
  id: `csv:abc:${i}:mkt`, contactId: `csv-abc-${i}`, typeId: 'mkt', status: 'subscribed', previousStatus: 'not_specified', source: 'csv_import',
  legalBasis: 'consent_with_notice', explanation: `Zaimportowano „${i}” — wiersz ${i}`, actor: { kind: 'user', id: 'u1', name: 'Łucja' },
  evidence: { fileName: 'plik;1.csv', row: i, importId: 'abc', fileHash: 'f'.repeat(64) }, occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-01T00:00:00.000Z', deviceId: 'dev', seq: i, basedOn: i % 2 ? '' : `csv:abc:${i - 1}:mkt`,
});

describe('canonical JSON', () => {
  it('writes exactly the reference text for thousands of generated values', () => {
    const value = generator(42);
    for (let i = 0; i < 5000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('gives an event the hash of the reference text of its fields with prevHash, whatever hash/prevHash it carries', () => {
    for (let i = 0; i < 200; i++) {
      const e = event(i);
      const carried = { ...e, hash: 'old', prevHash: 'old' } as UnsealedConsentEvent;
      const text = reference({ ...e, prevHash: `p${i}` });
      expect(canonicalEventContent(carried, `p${i}`)).toBe(text);
      expect(computeEventHash(e, `p${i}`)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
    // A field the usual events do not have (or one left undefined) takes the general path, same text.
    const odd = { ...event(7), zExtra: { b: 1, a: [2] }, explanation: undefined } as unknown as UnsealedConsentEvent;
    expect(canonicalEventContent(odd, 'p')).toBe(reference({ ...odd, prevHash: 'p' }));
    const missing = { ...event(8), basedOn: undefined } as unknown as UnsealedConsentEvent;
    expect(canonicalEventContent(missing, 'p')).toBe(reference({ ...missing, prevHash: 'p' }));
  });
});
