// The verdicts of a hash-chain check, written once: the in-memory check
// (`verifyChains` in event-hash.ts) and the streaming one (integrity/chain-stream.ts)
// must name the same problems in the same words.
import type { ConsentEvent } from '../../shared/domain';
import type { ChainIssue } from './chain-issue';

type Ref = { id: string; seq: number };

const at = (deviceId: string, e: Ref) => `Event ${e.id} (device ${deviceId}, seq ${e.seq})`;

export const hashMismatchIssue = (deviceId: string, event: Ref): ChainIssue => ({
  category: 'altered',
  kind: 'hash_mismatch',
  deviceId,
  eventId: event.id,
  seq: event.seq,
  message: `${at(deviceId, event)} was altered: its content no longer matches its hash.`,
});

export const invalidSeqIssue = (deviceId: string, event: Ref): ChainIssue => ({
  category: 'inserted',
  kind: 'invalid_seq',
  deviceId,
  eventId: event.id,
  seq: event.seq,
  message: `Event ${event.id} (device ${deviceId}) has seq ${event.seq}, which no device writes: it was inserted or edited.`,
});

export const seqGapIssue = (deviceId: string, eventId: string, seq: number, expectedSeq: number, previous: Ref | undefined): ChainIssue => {
  const after = previous ? `after event ${previous.id} (seq ${previous.seq})` : 'at the start of the chain';
  return {
    category: 'removed',
    kind: 'seq_gap',
    deviceId,
    eventId,
    seq,
    ...(previous ? { relatedEventId: previous.id } : {}),
    missingFrom: expectedSeq,
    missingTo: seq - 1,
    message: `Device ${deviceId}: seq ${expectedSeq}${seq - 1 > expectedSeq ? `–${seq - 1}` : ''} missing ${after}: events were removed.`,
  };
};

export const duplicateSeqIssue = (deviceId: string, other: Ref, genuine: Ref): ChainIssue => ({
  category: 'inserted',
  kind: 'duplicate_seq',
  deviceId,
  eventId: other.id,
  seq: other.seq,
  relatedEventId: genuine.id,
  message: `Event ${other.id} reuses seq ${other.seq} of device ${deviceId}, already held by event ${genuine.id}: it was inserted.`,
});

// A genuine event whose prevHash is not the previous event's hash: it points at
// another event of the device (reordered) or at none (inserted, or its predecessor replaced).
export const brokenLinkIssue = (deviceId: string, event: Ref, previous: Ref | null | undefined, target: Ref | undefined): ChainIssue => {
  const shouldLink = previous ? `event ${previous.id} (seq ${previous.seq})` : 'nothing (it is the first event)';
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
};

// With two events at one seq, the intact one that continues the chain is taken as
// genuine; failing that, the one with the smallest id, so every copy agrees.
export function pickGenuine(candidates: ReadonlyArray<{ event: ConsentEvent; intact: boolean }>, expectedPrev: string): ConsentEvent | undefined {
  const linked = candidates.find((c) => c.event.prevHash === expectedPrev && c.intact);
  return linked?.event ?? candidates.map((c) => c.event).sort((a, b) => (a.id < b.id ? -1 : 1))[0];
}
