import type { ConsentEvent } from '../../shared/domain';

// Kept out of kept-links.ts (which reads the store) so the integrity worker can load it alone.
// Pages of a device's chain with its proven kept links merged in at their seqs.
export function withKeptLinks(
  pages: () => AsyncIterable<readonly ConsentEvent[]>,
  links: () => Promise<readonly ConsentEvent[]>,
): () => AsyncIterable<readonly ConsentEvent[]> {
  return async function* merged() {
    const pending = [...(await links())];
    for await (const page of pages()) {
      const last = page[page.length - 1];
      if (pending.length === 0 || !last) {
        yield page;
        continue;
      }
      let cut = 0;
      while (cut < pending.length && (pending[cut]?.seq ?? Infinity) <= last.seq) cut++;
      yield cut === 0 ? page : [...page, ...pending.splice(0, cut)].sort((a, b) => a.seq - b.seq);
    }
    if (pending.length > 0) yield pending;
  };
}
