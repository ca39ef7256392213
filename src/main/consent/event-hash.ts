// Tamper evidence for the append-only ledger (DESIGN "Data"). Each event's hash is
// sha-256 over the canonical JSON of every field except `hash` itself, and that
// includes `prevHash`: the hash of the previous event of the same device. Editing,
// deleting, reordering or inserting an event therefore breaks a hash or a link.
//
// Chain conventions: a device's first event has seq 1 and prevHash ''; seqs then go
// up by one. Limits: truncating a device's newest events, or rewriting a whole
// suffix with fresh hashes, is only visible against a copy held elsewhere (another
// device or the server), e.g. by comparing chain heads.
import * as crypto from 'node:crypto';
import type { ConsentEvent } from '../../shared/domain';
import { canonicalMembers } from '../../shared/consent/canonical-json';
import { copyWith } from '../../shared/copy-with';
import { blankedFields, digestsOnly, newPersonalDigests, personalVerdict } from '../erasure/personal-digests';
import type { ChainIssue, ChainReport } from './chain-issue';
import { brokenLinkIssue, duplicateSeqIssue, hashMismatchIssue, invalidSeqIssue, pickGenuine, seqGapIssue } from './chain-verdicts';

export const FIRST_SEQ = 1;
export const GENESIS_PREV_HASH = '';

export type UnsealedConsentEvent = Omit<ConsentEvent, 'hash' | 'prevHash' | 'sig'>;

// The canonical JSON of the event's own fields (a full ConsentEvent passed here must not
// smuggle its old hash or its signature into the content) with `prevHash` set to the given one: the same
// text as canonicalJson of such a copy, written without building the copy.
export function canonicalEventContent(event: UnsealedConsentEvent, prevHash: string): string {
  const record = event as Record<string, unknown>;
  const personal = event.personal;
  // Salted digests: personal values are hashed as '' and committed to by their digests.
  const hashed = personal ? { ...blankedFields(event, Object.keys(personal)), personal: digestsOnly(personal) } : undefined;
  const valueOf = (key: string) => (key === 'prevHash' ? prevHash : hashed && key in hashed ? hashed[key as keyof typeof hashed] : record[key]);
  // The usual event has only known fields: their sorted list is fixed, so no keys are
  // listed and sorted per event (absent ones are left out like undefined members).
  for (const key in record) {
    if (!KNOWN_KEYS.has(key)) {
      const keys = Object.keys(record).filter((k) => !SEAL_KEYS.has(k));
      keys.push('prevHash');
      return canonicalMembers(record, keys.sort(), valueOf);
    }
  }
  return canonicalMembers(record, CONTENT_KEYS, valueOf);
}

// The hashed fields of an event (prevHash included) in canonical order; an event with any
// other field takes the general path above.
const CONTENT_KEYS: readonly string[] = [
  'actor', 'basedOn', 'contactId', 'deviceId', 'evidence', 'explanation', 'id', 'legalBasis', 'occurredAt', 'personal', 'prevHash',
  'previousStatus', 'recordedAt', 'seq', 'source', 'status', 'typeId',
].sort();
// The seal: the hash of the content, and the device's signature of that hash. Outside the
// content, so signing never changes a hash and an unsigned legacy event keeps its own.
const SEAL_KEYS = new Set(['hash', 'prevHash', 'sig']);
const KNOWN_KEYS = new Set([...CONTENT_KEYS, 'hash', 'sig']);

// One-shot hashing where the runtime has it (Node 20.12+): no Hash object per event.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function computeEventHash(event: UnsealedConsentEvent, prevHash: string): string {
  const content = canonicalEventContent(event, prevHash);
  return oneShot ? oneShot('sha256', content, 'hex') : crypto.createHash('sha256').update(content, 'utf8').digest('hex');
}

// What a device signs for an event: its hash (which covers the content and prevHash), behind a
// prefix so that no signature over a record or a change can pass for an event's.
export const eventSignatureMessage = (hash: string): string => `consentdesk/event/v1\n${hash}`;

// copyWith, not a spread: on Node 20 the spread made sealing twice as slow (see copy-with.ts).
// A new event commits to its personal values through fresh salted digests. With `sign` (this
// device's key), it also carries `sig`, the signature of its hash (which covers the digests, so
// erasing values and salts later leaves the signature valid).
export function sealEvent(event: UnsealedConsentEvent, prevHash: string, sign?: (message: string) => string): ConsentEvent {
  const personal = event.personal ?? newPersonalDigests(event);
  const withDigests = personal ? copyWith(event, { personal }) : event;
  const hash = computeEventHash(withDigests, prevHash);
  return sign ? copyWith(withDigests, { prevHash, hash, sig: sign(eventSignatureMessage(hash)) }) : copyWith(withDigests, { prevHash, hash });
}

// The hash, and every personal value still present against its digest (an erased value,
// value and salt both gone, is not an alteration).
export function hashMatches(event: ConsentEvent): boolean {
  return computeEventHash(event, event.prevHash) === event.hash && personalVerdict(event) !== 'altered';
}

function groupByDevice(events: readonly ConsentEvent[]): Map<string, ConsentEvent[]> {
  const devices = new Map<string, ConsentEvent[]>();
  for (const event of events) {
    const chain = devices.get(event.deviceId);
    if (chain) chain.push(event);
    else devices.set(event.deviceId, [event]);
  }
  return devices;
}

function verifyDevice(deviceId: string, events: ConsentEvent[], issues: ChainIssue[]): void {
  const byHash = new Map<string, ConsentEvent>();
  const bySeq = new Map<number, Array<{ event: ConsentEvent; intact: boolean }>>();
  for (const event of events) {
    const intact = hashMatches(event);
    if (!intact) issues.push(hashMismatchIssue(deviceId, event));
    if (!Number.isSafeInteger(event.seq) || event.seq < FIRST_SEQ) {
      issues.push(invalidSeqIssue(deviceId, event));
      continue;
    }
    byHash.set(event.hash, event);
    const same = bySeq.get(event.seq);
    if (same) same.push({ event, intact });
    else bySeq.set(event.seq, [{ event, intact }]);
  }

  let previous: ConsentEvent | undefined;
  let expectedSeq = FIRST_SEQ;
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    const candidates = bySeq.get(seq) ?? [];
    const expectedPrev = previous ? previous.hash : GENESIS_PREV_HASH;
    const gap = seq !== expectedSeq;
    if (gap) issues.push(seqGapIssue(deviceId, candidates[0]?.event.id ?? '', seq, expectedSeq, previous));
    const genuine = pickGenuine(candidates, expectedPrev);
    if (!genuine) continue;
    for (const { event: other } of candidates) if (other !== genuine) issues.push(duplicateSeqIssue(deviceId, other, genuine));
    if (!gap && genuine.prevHash !== expectedPrev) issues.push(brokenLinkIssue(deviceId, genuine, previous, byHash.get(genuine.prevHash)));
    previous = genuine;
    expectedSeq = seq + 1;
  }
}

export function verifyChains(events: readonly ConsentEvent[]): ChainReport {
  const issues: ChainIssue[] = [];
  const devices = groupByDevice(events);
  for (const deviceId of [...devices.keys()].sort()) verifyDevice(deviceId, devices.get(deviceId) ?? [], issues);
  return { ok: issues.length === 0, devices: devices.size, events: events.length, issues };
}
