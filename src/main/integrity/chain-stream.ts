// The same verdicts as `verifyChains` (consent/event-hash.ts), computed over one
// device's events streamed in seq order, page by page, so a million-event ledger
// never has to sit in memory at once. What is held: the current seq group, the
// previous genuine event, and the few broken links still waiting to be explained.
// Naming where a broken link points ("reordered" vs "inserted") needs a lookup by
// hash over the whole device; that second pass runs only when a link is broken.
import type { ConsentEvent } from '../../shared/domain';
import {
  FIRST_SEQ,
  GENESIS_PREV_HASH,
  hashMatches,
  type ChainIssue,
} from '../consent/event-hash';

export type EventPages = () => AsyncIterable<readonly ConsentEvent[]>;

export type DeviceChainResult = {
  deviceId: string;
  events: number;
  // The newest genuine event of the chain: a regulator compares heads across copies.
  head: { seq: number; eventId: string; hash: string } | null;
  issues: ChainIssue[];
};

type Ref = { id: string; seq: number };
type PendingLink = { event: Ref & { prevHash: string }; previous: Ref | null };

const at = (deviceId: string, e: Ref) => `Event ${e.id} (device ${deviceId}, seq ${e.seq})`;

export async function verifyDeviceStream(deviceId: string, pages: EventPages): Promise<DeviceChainResult> {
  const issues: ChainIssue[] = [];
  const pending: PendingLink[] = [];
  let previous: ConsentEvent | undefined;
  let expectedSeq = FIRST_SEQ;
  let group: Array<{ event: ConsentEvent; intact: boolean }> = [];
  let events = 0;

  const closeGroup = () => {
    const first = group[0];
    if (!first) return;
    const seq = first.event.seq;
    const expectedPrev = previous ? previous.hash : GENESIS_PREV_HASH;
    const gap = seq !== expectedSeq;
    if (gap) {
      const after = previous ? `after event ${previous.id} (seq ${previous.seq})` : 'at the start of the chain';
      issues.push({
        category: 'removed',
        kind: 'seq_gap',
        deviceId,
        eventId: first.event.id,
        seq,
        ...(previous ? { relatedEventId: previous.id } : {}),
        missingFrom: expectedSeq,
        missingTo: seq - 1,
        message: `Device ${deviceId}: seq ${expectedSeq}${seq - 1 > expectedSeq ? `–${seq - 1}` : ''} missing ${after}: events were removed.`,
      });
    }
    const linked = group.find((c) => c.event.prevHash === expectedPrev && c.intact);
    const genuine = linked?.event ?? group.map((c) => c.event).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    if (!genuine) return;
    for (const { event: other } of group) {
      if (other === genuine) continue;
      issues.push({
        category: 'inserted',
        kind: 'duplicate_seq',
        deviceId,
        eventId: other.id,
        seq,
        relatedEventId: genuine.id,
        message: `Event ${other.id} reuses seq ${seq} of device ${deviceId}, already held by event ${genuine.id}: it was inserted.`,
      });
    }
    if (!gap && genuine.prevHash !== expectedPrev) {
      pending.push({
        event: { id: genuine.id, seq: genuine.seq, prevHash: genuine.prevHash },
        previous: previous ? { id: previous.id, seq: previous.seq } : null,
      });
    }
    previous = genuine;
    expectedSeq = seq + 1;
    group = [];
  };

  for await (const page of pages()) {
    for (const event of page) {
      events += 1;
      const intact = hashMatches(event);
      if (!intact) {
        issues.push({
          category: 'altered',
          kind: 'hash_mismatch',
          deviceId,
          eventId: event.id,
          seq: event.seq,
          message: `${at(deviceId, event)} was altered: its content no longer matches its hash.`,
        });
      }
      if (!Number.isSafeInteger(event.seq) || event.seq < FIRST_SEQ) {
        issues.push({
          category: 'inserted',
          kind: 'invalid_seq',
          deviceId,
          eventId: event.id,
          seq: event.seq,
          message: `Event ${event.id} (device ${deviceId}) has seq ${event.seq}, which no device writes: it was inserted or edited.`,
        });
        continue;
      }
      if (group[0] && group[0].event.seq !== event.seq) closeGroup();
      group.push({ event, intact });
    }
  }
  closeGroup();

  if (pending.length > 0) issues.push(...(await explainLinks(deviceId, pending, pages)));
  return {
    deviceId,
    events,
    head: previous ? { seq: previous.seq, eventId: previous.id, hash: previous.hash } : null,
    issues,
  };
}

// Second pass: find which event (if any) each broken link's prevHash names.
async function explainLinks(deviceId: string, pending: readonly PendingLink[], pages: EventPages): Promise<ChainIssue[]> {
  const wanted = new Set(pending.map((p) => p.event.prevHash));
  const targets = new Map<string, Ref>();
  for await (const page of pages()) {
    for (const e of page) {
      if (wanted.has(e.hash) && Number.isSafeInteger(e.seq) && e.seq >= FIRST_SEQ) targets.set(e.hash, { id: e.id, seq: e.seq });
    }
  }
  return pending.map(({ event, previous }) => {
    const shouldLink = previous ? `event ${previous.id} (seq ${previous.seq})` : 'nothing (it is the first event)';
    const target = targets.get(event.prevHash);
    if (target && target.id !== event.id) {
      return {
        category: 'reordered',
        kind: 'prev_hash_points_elsewhere',
        deviceId,
        eventId: event.id,
        seq: event.seq,
        relatedEventId: target.id,
        message: `${at(deviceId, event)} links to event ${target.id} (seq ${target.seq}) instead of ${shouldLink}: events were reordered.`,
      };
    }
    return {
      category: 'inserted',
      kind: 'prev_hash_unknown',
      deviceId,
      eventId: event.id,
      seq: event.seq,
      ...(previous ? { relatedEventId: previous.id } : {}),
      message: `${at(deviceId, event)} links to no event of this device, not to ${shouldLink}: it was inserted, or the event before it was replaced.`,
    };
  });
}
