/*
 * The event ids of the history index, position by position, and the lookup from an id to its
 * position. Why not a string array and a Map: at a million events, a restart spent most of
 * its time making a million strings and a million-entry Map from the saved file (the first
 * page after a restart took seconds). Here the ids read from the saved file stay one UTF-8
 * buffer with offsets, and a saved permutation sorted by id answers "is this id known?" by
 * binary search, so loading costs no per-id work at all. Ids added after the load live in a
 * plain array and Map until the next save folds them into the buffer.
 *
 * The id order of the permutation is the UTF-8 byte order (Buffer.compare); it only has to be
 * the same when saved and when searched.
 */
export type IdTableBytes = {
  // Every id's UTF-8 bytes, back to back.
  bytes: Buffer;
  // count + 1 offsets into `bytes`: id p is bytes[offsets[p], offsets[p + 1]).
  offsets: Uint32Array;
  // Positions sorted by id.
  byId: Uint32Array;
};

export type IdTable = {
  size(): number;
  idAt(p: number): string;
  find(id: string): number | undefined;
  // Appends a new id at position size(); the caller checked with find() first.
  add(id: string): number;
  // Everything as bytes (for the saved file); the table keeps working afterwards.
  bytes(): IdTableBytes;
};

const EMPTY: IdTableBytes = { bytes: Buffer.alloc(0), offsets: new Uint32Array(1), byId: new Uint32Array(0) };

export function createIdTable(from: IdTableBytes = EMPTY): IdTable {
  let base = from;
  let baseCount = base.byId.length;
  let added: string[] = [];
  let addedAt = new Map<string, number>();

  const baseId = (p: number) => base.bytes.toString('utf8', base.offsets[p] ?? 0, base.offsets[p + 1] ?? 0);
  // Compares base id p with `key` (UTF-8): <0, 0, >0 as Buffer.compare.
  const compareBase = (p: number, key: Buffer) => base.bytes.compare(key, 0, key.length, base.offsets[p] ?? 0, base.offsets[p + 1] ?? 0);

  const findInBase = (id: string): number | undefined => {
    if (baseCount === 0) return undefined;
    const key = Buffer.from(id, 'utf8');
    let lo = 0;
    let hi = baseCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = base.byId[mid] ?? 0;
      const c = compareBase(p, key);
      if (c === 0) return p;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  };

  const bytes = (): IdTableBytes => {
    if (added.length === 0) return base;
    const count = baseCount + added.length;
    const addedBytes = added.map((id) => Buffer.from(id, 'utf8'));
    const all = Buffer.concat([base.bytes, ...addedBytes]);
    const offsets = new Uint32Array(count + 1);
    offsets.set(base.offsets.subarray(0, baseCount + 1));
    let at = base.bytes.length;
    addedBytes.forEach((b, i) => {
      at += b.length;
      offsets[baseCount + i + 1] = at;
    });
    // The base is sorted already: sort only the added ids, then merge the two in one pass.
    // Compared in place, without a Buffer per id (a million of them made saving slow).
    const compare = (a: number, b: number) => all.compare(all, offsets[b] ?? 0, offsets[b + 1] ?? 0, offsets[a] ?? 0, offsets[a + 1] ?? 0);
    const fresh = Uint32Array.from(added, (_, i) => baseCount + i).sort(compare);
    const byId = new Uint32Array(count);
    let i = 0;
    let j = 0;
    for (let w = 0; w < count; w++) {
      const a = base.byId[i];
      const b = fresh[j];
      if (b === undefined || (a !== undefined && i < baseCount && compare(a, b) <= 0)) {
        byId[w] = a ?? 0;
        i += 1;
      } else {
        byId[w] = b;
        j += 1;
      }
    }
    base = { bytes: all, offsets, byId };
    baseCount = count;
    added = [];
    addedAt = new Map();
    return base;
  };

  return {
    size: () => baseCount + added.length,
    idAt: (p) => (p < baseCount ? baseId(p) : (added[p - baseCount] ?? '')),
    find: (id) => addedAt.get(id) ?? findInBase(id),
    add(id) {
      const p = baseCount + added.length;
      added.push(id);
      addedAt.set(id, p);
      return p;
    },
    bytes,
  };
}
