// The shape in which sync tests compare shared data, on a device or on the server: RxDB's
// and CouchDB's bookkeeping left out, keys in one order at every depth so states compare as
// text (two copies may hold the same map with keys in a different order), sorted by id.
const BOOKKEEPING = new Set(['_meta', '_rev', '_attachments', '_deleted']);

export const sortedKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortedKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortedKeys(x)]))
      : v;

export const sharedData = (doc: Record<string, unknown>) =>
  sortedKeys(Object.fromEntries(Object.entries(doc).filter(([k]) => !BOOKKEEPING.has(k)))) as Record<string, unknown>;

export const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));
