// The status of one (contact, type) is a pure fold over its events (DESIGN "Data").
//
// Total order: order time (as an instant), then status (at equal times an opt-out
// orders after an opt-in or a reset, so the opt-out stands), deviceId, seq and id, so
// any input order gives the same result on every device.
// Order time (SPEC 2 "Time"): occurredAt, except for an event dated more than 5 minutes
// after its recordedAt (a message or device clock in the future). Such an event keeps
// its stated occurredAt as evidence but is ordered at its recordedAt, so "START" dated
// two hours ahead cannot beat a real "STOP" sent now; isFutureDated() flags it. Both
// times are part of the event, so every device computes the same order.
//
// Opt-out protection: once a contact's own opt-out (actor.kind 'contact', status
// 'unsubscribed') is in effect, an event by anyone else that would move the status
// away from 'unsubscribed' is ignored unless that opt-out is in its basedOn chain,
// i.e. its author had seen it. Ignored events come back as conflicts for the review
// queue. This covers 'subscribed' on a type and clearing the channel flag
// (ALL_WHATSAPP_TYPE_ID → 'not_specified'), and deliberately also 'not_specified' on
// a type: resetting an unseen opt-out overrides it just as silently.
// The protection lifts when a change away from 'unsubscribed' is applied: the
// contact's own opt-in, or a resubscribe by someone who saw the opt-out.
// Undoing that resubscribe puts the protection back: an 'unsubscribed' compensation
// (evidence.undoOf, written by an undo of an import or bulk action) based on the event
// that lifted it restores the very opt-out it lifted. It can only restore a contact's own
// opt-out that is in the ledger, never create one, so it errs toward opt-out as well.
// "Own" is decided by actor.kind alone, whatever the source, so a mislabelled source
// can neither create nor remove protection.
//
// Limit: order comes from clocks, not from basedOn. A resubscribe that saw the
// opt-out but carries an earlier occurredAt (device clock behind) sorts before it and
// the opt-out stays in force. That errs toward opt-out; it is not reported as a conflict.
import { CONSENT_STATUSES, type ConsentEvent, type ConsentStatus } from '../domain';

export type FoldConflict = { overriddenEventId: string; protectedOptOutId: string };

export type ConsentFoldResult = {
  status: ConsentStatus;
  // Last event that took effect ('' when none did).
  lastEventId: string;
  // True when the status is 'unsubscribed' and a contact's own opt-out is in effect,
  // even if a user later repeated the unsubscribe (SPEC 5: resubscribing needs confirmation).
  ownOptOut: boolean;
  conflicts: FoldConflict[];
};

export type KeyedFoldResult = ConsentFoldResult & { contactId: string; typeId: string };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Our own timestamps come from toISOString(): for two of those, text order is time
// order, so the common case compares without parsing or allocating.
function isCanonicalIso(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84;
}

function instant(occurredAt: string): number {
  const at = Date.parse(occurredAt);
  // Unparseable times sort first, consistently, rather than poisoning the order.
  return Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at;
}

function compareOccurredAt(a: string, b: string): number {
  if (a === b) return 0;
  if (isCanonicalIso(a) && isCanonicalIso(b)) return a < b ? -1 : 1;
  const x = instant(a);
  const y = instant(b);
  if (x !== y) return x < y ? -1 : 1;
  return compareText(a, b);
}

export const FUTURE_TOLERANCE_MS = 5 * 60_000;

type Timed = Pick<ConsentEvent, 'occurredAt' | 'recordedAt'>;

export function isFutureDated(event: Timed): boolean {
  // Canonical times with occurredAt not after recordedAt: the common case, decided on text.
  if (event.recordedAt === '' || (isCanonicalIso(event.occurredAt) && isCanonicalIso(event.recordedAt) && event.occurredAt <= event.recordedAt)) return false;
  const recorded = Date.parse(event.recordedAt);
  return !Number.isNaN(recorded) && instant(event.occurredAt) > recorded + FUTURE_TOLERANCE_MS;
}

export function orderTime(event: Timed): string {
  return isFutureDated(event) ? event.recordedAt : event.occurredAt;
}

const statusRank = (status: ConsentStatus): number => (status === 'unsubscribed' ? 1 : 0);

// Would an event with these times and status order before `existing`, and so never
// take effect over it? (A staff change from a device whose clock is behind.)
export function ordersBefore(candidate: Timed & Pick<ConsentEvent, 'status'>, existing: ConsentEvent): boolean {
  const byTime = compareOccurredAt(orderTime(candidate), orderTime(existing));
  return byTime < 0 || (byTime === 0 && statusRank(candidate.status) <= statusRank(existing.status));
}

export function compareConsentEvents(x: ConsentEvent, y: ConsentEvent): number {
  return (
    compareOccurredAt(orderTime(x), orderTime(y)) ||
    statusRank(x.status) - statusRank(y.status) ||
    compareText(x.deviceId, y.deviceId) ||
    (x.seq === y.seq ? 0 : x.seq < y.seq ? -1 : 1) ||
    compareText(x.id, y.id)
  );
}

export function sortConsentEvents(events: readonly ConsentEvent[]): ConsentEvent[] {
  return events.length < 2 ? [...events] : [...events].sort(compareConsentEvents);
}

export function isOwnEvent(event: ConsentEvent): boolean {
  return event.actor.kind === 'contact';
}

// An event written to undo another (bulk and import undo): evidence.undoOf names what it undoes.
export function isCompensation(event: ConsentEvent): boolean {
  return typeof event.evidence.undoOf === 'string';
}

// Does following basedOn from `start` reach `target`? Answers are memoised per
// target, so a long run of events that all build on one another stays linear.
function createChainCheck(byId: ReadonlyMap<string, ConsentEvent>): (start: ConsentEvent, target: string) => boolean {
  let cacheTarget = '';
  let cache = new Map<string, boolean>();
  return (start, target) => {
    if (target !== cacheTarget) {
      cacheTarget = target;
      cache = new Map();
    }
    const path: string[] = [];
    const visited = new Set<string>();
    let answer = false;
    let id = start.basedOn;
    while (id !== '') {
      if (id === target) {
        answer = true;
        break;
      }
      const known = cache.get(id);
      if (known !== undefined) {
        answer = known;
        break;
      }
      // A cycle can only come from corrupt data; it simply ends the chain.
      if (visited.has(id)) break;
      visited.add(id);
      path.push(id);
      const next = byId.get(id);
      if (!next) break;
      id = next.basedOn;
    }
    for (const seen of path) cache.set(seen, answer);
    return answer;
  };
}

function hasDuplicateIds(events: readonly ConsentEvent[]): boolean {
  // Typical groups hold a handful of events: comparing pairs beats building a Set.
  if (events.length <= 16) {
    for (let i = 1; i < events.length; i++) {
      const id = events[i]?.id;
      for (let j = 0; j < i; j++) if (events[j]?.id === id) return true;
    }
    return false;
  }
  return new Set(events.map((e) => e.id)).size !== events.length;
}

// Keeps the first copy in total order of each id: replication can deliver an event twice.
function uniqueById(ordered: ConsentEvent[]): ConsentEvent[] {
  if (!hasDuplicateIds(ordered)) return ordered;
  const taken = new Set<string>();
  return ordered.filter((event) => {
    if (taken.has(event.id)) return false;
    taken.add(event.id);
    return true;
  });
}

const STATUSES: ReadonlySet<unknown> = new Set(CONSENT_STATUSES);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The fields the fold and the views read, of the types they expect. Replicated documents are
// checked on arrival (main/sync/arrival-checks.ts), but a ledger written before those checks
// may hold anything: an event that fails here is left out of every fold and view, and never
// makes one throw (DESIGN "Trust boundaries"). The integrity check names it.
export function isWellFormedEvent(event: unknown): event is ConsentEvent {
  if (!isRecord(event)) return false;
  const { id, contactId, typeId, deviceId, occurredAt, basedOn, seq, status, actor, evidence } = event;
  return typeof id === 'string' && typeof contactId === 'string' && typeof typeId === 'string' && typeof deviceId === 'string'
    && typeof occurredAt === 'string' && typeof basedOn === 'string' && typeof seq === 'number' && Number.isFinite(seq)
    && STATUSES.has(status) && isRecord(actor) && typeof actor.kind === 'string' && typeof actor.id === 'string'
    && typeof actor.name === 'string' && isRecord(evidence);
}

// Only ill-formed input pays for a copy.
function wellFormedOnly(events: readonly ConsentEvent[]): readonly ConsentEvent[] {
  const all: readonly unknown[] = events;
  return all.every(isWellFormedEvent) ? events : all.filter(isWellFormedEvent);
}

export function foldConsent(events: readonly ConsentEvent[]): ConsentFoldResult {
  const ordered = uniqueById(sortConsentEvents(wellFormedOnly(events)));
  let sawEvent: ((start: ConsentEvent, target: string) => boolean) | undefined;

  let status: ConsentStatus = 'not_specified';
  let lastEventId = '';
  let protectedOptOut: ConsentEvent | undefined;
  // The last applied event that lifted a protection, and the opt-out it lifted.
  let lifted: { by: string; optOut: ConsentEvent } | undefined;
  const conflicts: FoldConflict[] = [];

  for (const event of ordered) {
    const own = isOwnEvent(event);
    const liftsOptOut = event.status !== 'unsubscribed';
    if (protectedOptOut && liftsOptOut && !own) {
      sawEvent ??= createChainCheck(new Map(ordered.map((e) => [e.id, e])));
      if (!sawEvent(event, protectedOptOut.id)) {
        conflicts.push({ overriddenEventId: event.id, protectedOptOutId: protectedOptOut.id });
        continue;
      }
    }
    status = event.status;
    lastEventId = event.id;
    if (own && event.status === 'unsubscribed') protectedOptOut = event;
    else if (liftsOptOut) {
      lifted = protectedOptOut ? { by: event.id, optOut: protectedOptOut } : undefined;
      protectedOptOut = undefined;
    } else if (lifted && event.basedOn === lifted.by && isCompensation(event)) protectedOptOut = lifted.optOut;
  }

  return { status, lastEventId, ownOptOut: status === 'unsubscribed' && protectedOptOut !== undefined, conflicts };
}

// Unit separator: cannot appear in ULIDs or the deterministic ids DESIGN lists.
export function consentKey(contactId: string, typeId: string): string {
  return `${contactId}\u001f${typeId}`;
}

// A contact has a few types, so splitting its events by type with a scan allocates
// less than a Map per contact: on large ledgers the garbage collector is the cost.
function splitByType(events: ConsentEvent[]): ConsentEvent[][] {
  const groups: ConsentEvent[][] = [];
  for (const event of events) {
    const group = groups.find((g) => g[0]?.typeId === event.typeId);
    if (group) group.push(event);
    else groups.push([event]);
  }
  return groups;
}

export function foldAll(events: readonly ConsentEvent[]): Map<string, KeyedFoldResult> {
  const byContact = new Map<string, ConsentEvent[]>();
  for (const event of events) {
    const group = byContact.get(event.contactId);
    if (group) group.push(event);
    else byContact.set(event.contactId, [event]);
  }
  const results = new Map<string, KeyedFoldResult>();
  for (const [contactId, contactEvents] of byContact) {
    for (const group of splitByType(contactEvents)) {
      const typeId = group[0]?.typeId ?? '';
      results.set(consentKey(contactId, typeId), { ...foldConsent(group), contactId, typeId });
    }
  }
  return results;
}
