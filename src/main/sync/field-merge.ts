import { fallbackStamp, type FieldClock } from './field-clock';

// A document as the replication sees it: plain fields plus RxDB's deleted flag.
// fieldSigs: each field's signature (signed-changes.ts), which travels with the field's value.
export type MergeDoc = Record<string, unknown> & { _deleted?: boolean; fieldClock?: FieldClock; fieldSigs?: Record<string, string> };

// Bookkeeping that is never merged as data.
const NOT_DATA = new Set(['_deleted', '_attachments', '_meta', '_rev', 'fieldClock', 'fieldSigs']);
// Times that only move forward: the newest wins whoever wrote it (the 24-hour window
// opens at the newest inbound message any device saw).
const MAX_FIELDS = new Set(['updatedAt', 'lastInboundAt']);

export const canonicalValue = (v: unknown): string => {
  if (v === undefined) return 'u';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalValue).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalValue(o[k])}`)
    .join(',')}}`;
};

export const sameValue = (a: unknown, b: unknown) => canonicalValue(a) === canonicalValue(b);

// Equal as replicated data: RxDB's own bookkeeping (_meta, _rev, _attachments) aside.
export function sameDocument(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === '_meta' || k === '_rev' || k === '_attachments') continue;
    if (k === '_deleted' ? !!a[k] !== !!b[k] : !sameValue(a[k], b[k])) return false;
  }
  return true;
}

// Every local update stamps what it changed (field-stamping.ts), so a field without a stamp
// still holds the value it was created with: it dates from createdAt (settings, which have
// no createdAt, from updatedAt).
const stampOf = (doc: MergeDoc, field: string) => doc.fieldClock?.[field] ?? fallbackStamp(doc.createdAt ?? doc.updatedAt);

// Per-field last-writer-wins with the last common state as base (three-way): a field only
// one side changed takes that side's value whatever the clocks say; a field both changed
// goes to the newer stamp; equal stamps fall to the larger value so every device agrees.
// No edit on one field is lost because another field changed elsewhere.
export function mergeByField(local: MergeDoc, remote: MergeDoc, base: MergeDoc | undefined, primaryKey: string): MergeDoc {
  const merged: MergeDoc = { [primaryKey]: local[primaryKey] ?? remote[primaryKey] };
  const clock: FieldClock = {};
  const sigs: Record<string, string> = {};
  const fields = new Set([...Object.keys(local), ...Object.keys(remote)].filter((k) => !NOT_DATA.has(k) && k !== primaryKey));
  for (const f of fields) {
    const lv = local[f];
    const rv = remote[f];
    if (MAX_FIELDS.has(f) && typeof lv === 'string' && typeof rv === 'string') {
      merged[f] = lv > rv ? lv : rv;
      continue;
    }
    const ls = stampOf(local, f);
    const rs = stampOf(remote, f);
    let takeLocal: boolean;
    if (sameValue(lv, rv)) takeLocal = ls >= rs;
    else if (base && sameValue(lv, base[f])) takeLocal = false;
    else if (base && sameValue(rv, base[f])) takeLocal = true;
    else takeLocal = ls === rs ? canonicalValue(lv) > canonicalValue(rv) : ls > rs;
    const value = takeLocal ? lv : rv;
    if (value !== undefined) merged[f] = value;
    const stamp = takeLocal ? ls : rs;
    // Only real stamps are kept; a fallback stamp is derived again from updatedAt.
    if (!stamp.endsWith('|')) clock[f] = stamp;
    const sig = takeLocal ? local.fieldSigs?.[f] : remote.fieldSigs?.[f];
    if (sig !== undefined) sigs[f] = sig;
  }
  if (Object.keys(clock).length > 0 || local.fieldClock || remote.fieldClock) merged.fieldClock = clock;
  if (Object.keys(sigs).length > 0) merged.fieldSigs = sigs;
  // Nothing is deleted today; if something ever is, the deletion holds on every device.
  merged._deleted = !!local._deleted || !!remote._deleted;
  return merged;
}
