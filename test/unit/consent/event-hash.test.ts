import { describe, expect, it } from 'vitest';
import {
  canonicalEventContent,
  computeEventHash,
  sealEvent,
  verifyChains,
  type UnsealedConsentEvent,
} from '../../../src/main/consent/event-hash';
import { canonicalJson } from '../../../src/shared/consent/canonical-json';
import type { ConsentEvent } from '../../../src/shared/domain';
import { makeEvent } from './helpers/events';

function unsealed(event: ConsentEvent): UnsealedConsentEvent {
  const { hash: _hash, prevHash: _prevHash, ...rest } = event;
  return rest;
}

// A device's chain as the store writes it: seq from 1, each linked to the previous hash.
function chain(deviceId: string, count: number): ConsentEvent[] {
  const events: ConsentEvent[] = [];
  let prevHash = '';
  for (let seq = 1; seq <= count; seq++) {
    const draft = makeEvent({
      id: `${deviceId}-${seq}`,
      status: seq % 2 === 0 ? 'unsubscribed' : 'subscribed',
      at: `2025-03-01T10:00:${String(seq).padStart(2, '0')}.000Z`,
      deviceId,
      seq,
    });
    const sealed = sealEvent(unsealed(draft), prevHash);
    events.push(sealed);
    prevHash = sealed.hash;
  }
  return events;
}

function reseal(event: ConsentEvent, changes: Partial<ConsentEvent>): ConsentEvent {
  const next = { ...event, ...changes };
  return sealEvent(unsealed(next), next.prevHash);
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

describe('canonical JSON and hashes', () => {
  it('sorts keys at every level and drops white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
  });

  it('refuses values JSON cannot carry exactly', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: new Date() })).toThrow();
  });

  it('is independent of key order and covers prevHash but not hash', () => {
    const event = at(chain('dev-a', 1), 0);
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as ConsentEvent;
    expect(computeEventHash(reordered, '')).toBe(event.hash);
    expect(computeEventHash(event, 'other')).not.toBe(event.hash);
    const withOtherHash: ConsentEvent = { ...event, hash: 'x', prevHash: 'y' };
    expect(canonicalEventContent(withOtherHash, '')).toBe(canonicalEventContent(event, ''));
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('seals a copy: the event\'s fields plus prevHash and hash, the input untouched, old seals replaced', () => {
    const draft = unsealed(makeEvent({ id: 'e1', status: 'subscribed', at: '2025-03-01T10:00:00.000Z', deviceId: 'dev-a', seq: 1 }));
    const before = structuredClone(draft);
    const sealed = sealEvent(draft, 'prev');
    expect(draft).toEqual(before);
    expect(sealed).toEqual({ ...draft, prevHash: 'prev', hash: computeEventHash(draft, 'prev') });
    const resealed = sealEvent(sealed, 'other');
    expect(resealed.prevHash).toBe('other');
    expect(resealed.hash).toBe(computeEventHash(draft, 'other'));
    expect(Object.keys(resealed)).toEqual(Object.keys(sealed));
  });
});

describe('verifyChains', () => {
  const devA = chain('dev-a', 6);
  const devB = chain('dev-b', 3);
  const clean = [...devA, ...devB];

  it('accepts intact chains in any storage order', () => {
    expect(verifyChains(clean)).toEqual({ ok: true, devices: 2, events: 9, issues: [] });
    expect(verifyChains([...clean].reverse()).ok).toBe(true);
  });

  it('edit: reports the altered event', () => {
    const tampered = clean.map((e) => (e.id === 'dev-a-3' ? { ...e, status: 'unsubscribed' as const } : e));
    const report = verifyChains(tampered);
    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([
      expect.objectContaining({ category: 'altered', kind: 'hash_mismatch', deviceId: 'dev-a', eventId: 'dev-a-3', seq: 3 }),
    ]);
  });

  it('edit with a recomputed hash: the next link breaks', () => {
    const tampered = clean.map((e) => (e.id === 'dev-a-3' ? reseal(e, { explanation: 'rewritten' }) : e));
    expect(verifyChains(tampered).issues).toEqual([
      expect.objectContaining({ category: 'inserted', kind: 'prev_hash_unknown', eventId: 'dev-a-4', relatedEventId: 'dev-a-3' }),
    ]);
  });

  it('delete in the middle: reports the missing seq and its neighbours', () => {
    const report = verifyChains(clean.filter((e) => e.id !== 'dev-a-4'));
    expect(report.issues).toEqual([
      expect.objectContaining({
        category: 'removed',
        kind: 'seq_gap',
        deviceId: 'dev-a',
        eventId: 'dev-a-5',
        relatedEventId: 'dev-a-3',
        missingFrom: 4,
        missingTo: 4,
      }),
    ]);
  });

  it('delete at the start: reports the missing seqs', () => {
    const report = verifyChains(clean.filter((e) => e.id !== 'dev-b-1' && e.id !== 'dev-b-2'));
    expect(report.issues).toEqual([
      expect.objectContaining({ category: 'removed', deviceId: 'dev-b', eventId: 'dev-b-3', missingFrom: 1, missingTo: 2 }),
    ]);
  });

  it('delete and renumber the rest: hashes and links break', () => {
    const report = verifyChains(
      clean.filter((e) => e.id !== 'dev-a-2').map((e) => (e.deviceId === 'dev-a' && e.seq > 2 ? { ...e, seq: e.seq - 1 } : e)),
    );
    expect(report.ok).toBe(false);
    expect(report.issues.filter((i) => i.kind === 'hash_mismatch').map((i) => i.eventId)).toEqual([
      'dev-a-3',
      'dev-a-4',
      'dev-a-5',
      'dev-a-6',
    ]);
  });

  it('reorder by swapping seqs: both events are altered', () => {
    const tampered = clean.map((e) => (e.id === 'dev-a-2' ? { ...e, seq: 5 } : e.id === 'dev-a-5' ? { ...e, seq: 2 } : e));
    const altered = verifyChains(tampered).issues.filter((i) => i.category === 'altered').map((i) => i.eventId);
    expect(altered.sort()).toEqual(['dev-a-2', 'dev-a-5']);
  });

  it('reorder with recomputed hashes: the links show the reordering', () => {
    const tampered = clean.map((e) =>
      e.id === 'dev-a-2' ? reseal(e, { seq: 5 }) : e.id === 'dev-a-5' ? reseal(e, { seq: 2 }) : e,
    );
    const issues = verifyChains(tampered).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.category === 'reordered' && i.kind === 'prev_hash_points_elsewhere')).toBe(true);
    expect(issues.every((i) => i.deviceId === 'dev-a')).toBe(true);
  });

  it('insert with a duplicate seq: the intruder is named, the genuine event kept', () => {
    const original = at(devA, 2);
    const intruder = reseal(original, { id: 'fake', status: 'subscribed', explanation: 'inserted' });
    const report = verifyChains([...clean, intruder]);
    expect(report.issues).toEqual([
      expect.objectContaining({ category: 'inserted', kind: 'duplicate_seq', eventId: 'fake', relatedEventId: 'dev-a-3', seq: 3 }),
    ]);
  });

  it('insert at the end with a made-up prevHash', () => {
    const last = at(devB, 2);
    const draft = makeEvent({ id: 'fake', status: 'subscribed', at: '2025-03-02T00:00:00Z', deviceId: 'dev-b', seq: 4 });
    const intruder = sealEvent(unsealed(draft), 'f'.repeat(64));
    expect(verifyChains([...clean, intruder]).issues).toEqual([
      expect.objectContaining({ category: 'inserted', kind: 'prev_hash_unknown', eventId: 'fake', relatedEventId: last.id }),
    ]);
  });

  it('insert in the middle, shifting later seqs without rehashing', () => {
    const draft = makeEvent({ id: 'fake', status: 'subscribed', at: '2025-03-01T10:00:03.500Z', deviceId: 'dev-b', seq: 3 });
    const intruder = sealEvent(unsealed(draft), at(devB, 1).hash);
    const shifted = clean.map((e) => (e.id === 'dev-b-3' ? { ...e, seq: 4 } : e));
    const issues = verifyChains([...shifted, intruder]).issues;
    expect(issues).toContainEqual(expect.objectContaining({ category: 'altered', eventId: 'dev-b-3' }));
    expect(issues).toContainEqual(expect.objectContaining({ category: 'reordered', eventId: 'dev-b-3', relatedEventId: 'dev-b-2' }));
  });

  it('rejects a seq no device writes', () => {
    const bad = reseal(at(devA, 0), { id: 'neg', seq: 0 });
    expect(verifyChains([...clean, bad]).issues).toEqual([
      expect.objectContaining({ category: 'inserted', kind: 'invalid_seq', eventId: 'neg' }),
    ]);
  });
});
