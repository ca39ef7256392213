// Canonical JSON for hashing: object keys sorted by UTF-16 code unit, no white
// space, undefined members dropped (as JSON.stringify does). Values that JSON cannot
// round-trip exactly (NaN, Infinity, functions, class instances) are refused instead
// of being silently changed, because a hash over a lossy form proves nothing.

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// The members of a plain object in the given (sorted) key order, undefined ones left out.
// `valueOf` lets a caller supply a member without building a copy of the object.
export function canonicalMembers(record: Record<string, unknown>, sortedKeys: readonly string[], valueOf?: (key: string) => unknown): string {
  let out = '{';
  for (const key of sortedKeys) {
    const member = valueOf ? valueOf(key) : record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      // Built by appending (no array of parts per object): every consent event is hashed
      // this way, 100,000 of them in one import.
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i] as unknown);
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw new TypeError('canonicalJson: only plain objects can be hashed');
      return canonicalMembers(value as Record<string, unknown>, Object.keys(value).sort());
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}
