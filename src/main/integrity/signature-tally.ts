import type { SignatureCheck } from '../../shared/api/device-channels';
import type { ConsentEvent } from '../../shared/domain';
import type { DeviceRegistry } from '../device/device-registry';

// The examples a report carries; the counts cover every event.
export const MAX_LISTED_SIGNATURE_PROBLEMS = 100;

type Problem = SignatureCheck['problems'][number];

// The listed problems are the first ones in (deviceId, seq, eventId) order, not in the order
// the events were read: the check is split over workers reading different parts of the file,
// and the report must not depend on how it was split. A seq that is not a number (edited in
// the file) sorts after every number, as in the chains' reorder window.
const seqKey = (seq: unknown) => (typeof seq === 'number' && !Number.isNaN(seq) ? seq : Infinity);
const text = (v: unknown) => (typeof v === 'string' ? v : String(v));
export const byProblemOrder = (a: Problem, b: Problem): number => {
  const da = text(a.deviceId);
  const db = text(b.deviceId);
  if (da !== db) return da < db ? -1 : 1;
  const sa = seqKey(a.seq);
  const sb = seqKey(b.seq);
  if (sa !== sb) return sa < sb ? -1 : 1;
  const ia = text(a.eventId);
  const ib = text(b.eventId);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
};

export type SignatureTally = {
  add(event: ConsentEvent, registry: DeviceRegistry): void;
  // Another share's result (a worker's), added to this one.
  merge(part: SignatureCheck): void;
  result(): SignatureCheck;
};

// Counts every event's verdict and keeps the first `maxListed` problems in problem order,
// holding at most twice that many at any time (sorted and cut when the list fills up).
export function createSignatureTally(maxListed = MAX_LISTED_SIGNATURE_PROBLEMS): SignatureTally {
  let signed = 0;
  let legacyUnsigned = 0;
  let failing = 0;
  let problems: Problem[] = [];
  const keep = (problem: Problem) => {
    problems.push(problem);
    if (problems.length >= 2 * maxListed) problems = problems.sort(byProblemOrder).slice(0, maxListed);
  };
  return {
    add(event, registry) {
      const verdict = registry.checkEvent(event);
      if (verdict.ok) {
        if (verdict.legacy) legacyUnsigned += 1;
        else signed += 1;
        return;
      }
      failing += 1;
      keep({ eventId: event.id, deviceId: event.deviceId, seq: event.seq, reason: verdict.reason, message: verdict.detail });
    },
    merge(part) {
      signed += part.signed;
      legacyUnsigned += part.legacyUnsigned;
      failing += part.failing;
      for (const problem of part.problems) keep(problem);
    },
    result() {
      return { signed, legacyUnsigned, failing, problems: [...problems].sort(byProblemOrder).slice(0, maxListed) };
    },
  };
}
