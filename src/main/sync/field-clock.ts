// Per-field write stamps for mutable documents that replicate (contacts, types, users,
// settings). A stamp is "<ISO time>|<device id>": ISO times of one format sort as text,
// and the device id breaks ties so every device picks the same winner.
export type FieldClock = Record<string, string>;

// Fields that are bookkeeping or merge by their own rule: never stamped (field-stamping.ts)
// and never signed (signed-changes.ts).
export const UNSTAMPED_FIELDS: ReadonlySet<string> = new Set(['_deleted', '_attachments', '_meta', '_rev', 'fieldClock', 'fieldSigs', 'updatedAt', 'createdAt']);

export const fieldStamp = (at: string, deviceId: string) => `${at}|${deviceId}`;

// A field with no stamp gets the time its value dates from, with no device (so any real
// stamp of that same instant wins).
export const fallbackStamp = (at: unknown) => `${typeof at === 'string' ? at : ''}|`;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// The fields of `patch` whose value differs from `current`: only real changes get stamped,
// so re-saving a whole form does not claim fields another device edited.
export function changedFields(current: Record<string, unknown>, patch: Record<string, unknown>, ignore: readonly string[] = ['updatedAt']): string[] {
  return Object.keys(patch).filter((k) => !ignore.includes(k) && patch[k] !== undefined && !same(current[k], patch[k]));
}

export function stampFields(previous: FieldClock | undefined, fields: readonly string[], at: string, deviceId: string): FieldClock {
  const next: FieldClock = { ...(previous ?? {}) };
  for (const f of fields) next[f] = fieldStamp(at, deviceId);
  return next;
}
