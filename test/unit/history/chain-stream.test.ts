import { describe, expect, it } from 'vitest';
import type { ChainIssue } from '../../../src/main/consent/chain-issue';
import { sealEvent, verifyChains, type UnsealedConsentEvent } from '../../../src/main/consent/event-hash';
import { verifyDeviceStream } from '../../../src/main/integrity/chain-stream';
import type { ConsentEvent } from '../../../src/shared/domain';
import { makeEvent } from '../consent/helpers/events';

const unsealed = ({ hash: _h, prevHash: _p, ...rest }: ConsentEvent): UnsealedConsentEvent => rest;

function chain(deviceId: string, count: number): ConsentEvent[] {
  const events: ConsentEvent[] = [];
  let prevHash = '';
  for (let seq = 1; seq <= count; seq++) {
    const e = sealEvent(unsealed(makeEvent({ id: `${deviceId}-${seq}`, status: seq % 2 ? 'subscribed' : 'unsubscribed', at: `2025-03-01T10:00:${String(seq % 60).padStart(2, '0')}.000Z`, deviceId, seq })), prevHash);
    events.push(e);
    prevHash = e.hash;
  }
  return events;
}

// Streams the events the way the store does: sorted by (deviceId, seq, id), in pages.
const storeOrder = (events: readonly ConsentEvent[]) =>
  [...events].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.seq - b.seq || (a.id < b.id ? -1 : 1)));

async function streamed(events: readonly ConsentEvent[], pageSize: number): Promise<ChainIssue[]> {
  const sorted = storeOrder(events);
  const issues: ChainIssue[] = [];
  for (const deviceId of [...new Set(sorted.map((e) => e.deviceId))]) {
    const mine = sorted.filter((e) => e.deviceId === deviceId);
    const pages = async function* () {
      for (let i = 0; i < mine.length; i += pageSize) yield mine.slice(i, i + pageSize);
    };
    issues.push(...(await verifyDeviceStream(deviceId, pages)).issues);
  }
  return issues;
}

const key = (i: ChainIssue) => `${i.deviceId}|${i.kind}|${i.category}|${i.eventId}|${i.seq}|${i.relatedEventId ?? ''}|${i.missingFrom ?? ''}|${i.missingTo ?? ''}|${i.message}`;
const same = async (events: ConsentEvent[], pageSize = 3) => {
  // Same input order as the store gives, so "the first event at a seq" is the same one.
  const expected = verifyChains(storeOrder(events)).issues.map(key).sort();
  expect((await streamed(events, pageSize)).map(key).sort()).toEqual(expected);
  return expected;
};

// A small deterministic random source, so a failure can be replayed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('streamed chain verification', () => {
  it('finds nothing in intact chains, whatever the page size', async () => {
    const events = [...chain('dev-a', 10), ...chain('dev-b', 7)];
    for (const size of [1, 2, 5, 100]) expect(await same(events, size)).toEqual([]);
  });

  it('names an altered event, a removed one, an inserted duplicate and a reorder exactly as verifyChains does', async () => {
    const a = chain('dev-a', 12);
    const altered = a.map((e) => (e.seq === 3 ? { ...e, explanation: 'changed later' } : e));
    const removed = altered.filter((e) => e.seq !== 6);
    const e8 = removed.find((e) => e.seq === 8);
    if (!e8) throw new Error('fixture');
    const inserted = [...removed, sealEvent(unsealed({ ...e8, id: 'intruder' }), e8.prevHash)];
    const e10 = inserted.find((e) => e.seq === 10);
    const e11 = inserted.find((e) => e.seq === 11);
    if (!e10 || !e11) throw new Error('fixture');
    const swapped = inserted.map((e) => (e === e10 ? { ...e10, seq: 11 } : e === e11 ? { ...e11, seq: 10 } : e));
    const issues = await same(swapped);
    expect(issues.some((i) => i.includes('hash_mismatch|altered|dev-a-3|'))).toBe(true);
    expect(issues.some((i) => i.includes('seq_gap|removed|'))).toBe(true);
    expect(issues.some((i) => i.includes('duplicate_seq|inserted|'))).toBe(true);
  });

  it('agrees with verifyChains on 300 randomly tampered ledgers', async () => {
    const random = rng(42);
    for (let round = 0; round < 300; round++) {
      let events = [...chain('dev-a', 15), ...chain('dev-b', 9)];
      const pick = () => Math.floor(random() * events.length);
      for (let n = 0; n < 1 + Math.floor(random() * 3); n++) {
        const i = pick();
        const e = events[i];
        if (!e) continue;
        const op = Math.floor(random() * 5);
        if (op === 0) events[i] = { ...e, explanation: `edit ${round}` };
        else if (op === 1) events.splice(i, 1);
        else if (op === 2) events.push(sealEvent(unsealed({ ...e, id: `ins-${round}-${n}` }), e.prevHash));
        else if (op === 3) events[i] = { ...e, seq: e.seq + 1 };
        else events[i] = sealEvent(unsealed({ ...e, explanation: 'resealed' }), e.prevHash);
      }
      events = events.filter(Boolean);
      await same(events, 1 + Math.floor(random() * 6));
    }
  });
});
