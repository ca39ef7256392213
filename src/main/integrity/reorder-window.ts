import type { ConsentEvent } from '../../shared/domain';

// Rows arrive in the index's (deviceId, seq, id) order, but a document edited in the file
// behind the app's back keeps its old index position while its own seq says otherwise. A
// window of the last rows is kept back and re-sorted by the seq inside each document, so a
// swapped pair is judged by what the documents now say. The window only shifts rows within
// a device's stream; the verdicts do not depend on where pages are cut.
export const REORDER_WINDOW = 2000;

// A total order, or the sort's result would depend on where pages are cut: a seq that is
// not a number (edited in the file) sorts after every number. Such a row is reported as an
// invalid seq wherever it lands; what matters is that it cannot scramble its neighbours.
const seqKey = (e: ConsentEvent) => (typeof e.seq === 'number' && !Number.isNaN(e.seq) ? e.seq : Infinity);
const bySeqThenId = (a: ConsentEvent, b: ConsentEvent) => {
  const d = seqKey(a) - seqKey(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

export async function* reorderWindow(
  source: AsyncIterable<readonly ConsentEvent[]>,
  window = REORDER_WINDOW,
): AsyncIterable<readonly ConsentEvent[]> {
  let carry: ConsentEvent[] = [];
  for await (const docs of source) {
    const all = carry.concat(docs).sort(bySeqThenId);
    const keep = Math.min(all.length, window);
    carry = all.slice(all.length - keep);
    if (all.length > keep) yield all.slice(0, all.length - keep);
  }
  if (carry.length > 0) yield carry;
}
