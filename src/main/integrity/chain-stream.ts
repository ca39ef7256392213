// The same verdicts as `verifyChains` (consent/event-hash.ts), computed over one
// device's events streamed in seq order, page by page, so a million-event ledger
// never has to sit in memory at once. What is held: the current seq group, the
// previous genuine event, and the few broken links still waiting to be explained.
// Naming where a broken link points ("reordered" vs "inserted") needs a lookup by
// hash over the whole device; that second pass runs only when a link is broken.
import type { ConsentEvent } from '../../shared/domain';
import { brokenLinkIssue, duplicateSeqIssue, hashMismatchIssue, invalidSeqIssue, pickGenuine, seqGapIssue } from '../consent/chain-verdicts';
import type { ChainIssue } from '../consent/chain-issue';
import { FIRST_SEQ, GENESIS_PREV_HASH, hashMatches } from '../consent/event-hash';

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
    if (gap) issues.push(seqGapIssue(deviceId, first.event.id, seq, expectedSeq, previous));
    const genuine = pickGenuine(group, expectedPrev);
    if (!genuine) return;
    for (const { event: other } of group) if (other !== genuine) issues.push(duplicateSeqIssue(deviceId, other, genuine));
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
      if (!intact) issues.push(hashMismatchIssue(deviceId, event));
      if (!Number.isSafeInteger(event.seq) || event.seq < FIRST_SEQ) {
        issues.push(invalidSeqIssue(deviceId, event));
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
  return pending.map(({ event, previous }) => brokenLinkIssue(deviceId, event, previous, targets.get(event.prevHash)));
}
