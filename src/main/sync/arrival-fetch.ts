import type { ArrivalGate } from './arrival-gate';
import type { SyncedCollection } from './sync-collections';

type ChangesPage = { results?: unknown; last_seq?: unknown; [key: string]: unknown };

/*
 * Puts the arrival gate between the server and RxDB: a `_changes` read (RxDB's pull) is
 * answered with the rows that passed the checks and the server's own checkpoint, so RxDB
 * never sees, writes or folds a document that failed. The live feed (longpoll) carries no
 * documents (live-feed-nudge.ts) and passes through.
 *
 * RxDB takes a page with no documents for "nothing more" and keeps its checkpoint where it
 * was, so a page whose every row failed would be read again and again and hide everything
 * after it. Such a page is followed by the next one from the server until one has a row
 * that passed, or the server has no more.
 */
export function checkedArrivals(inner: typeof fetch, collection: SyncedCollection, gate: ArrivalGate): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('/_changes?') || url.includes('feed=longpoll')) return inner(input, init);
    let response = await inner(input, init);
    let body = (await response.json()) as ChangesPage;
    for (;;) {
      if (!response.ok || !Array.isArray(body.results)) break;
      const offered = body.results.length;
      const results = await gate.admit(collection, body.results);
      body = { ...body, results };
      if (results.length > 0 || offered === 0 || body.last_seq === undefined) break;
      const next = new URL(url);
      next.searchParams.set('since', String(body.last_seq));
      response = await inner(next.href, init);
      body = (await response.json()) as ChangesPage;
    }
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}
