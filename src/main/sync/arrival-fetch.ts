import type { ArrivalGate } from './arrival-gate';
import { SYNCED_COLLECTIONS, type SyncedCollection } from './sync-collections';

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
/*
 * caughtUp: told when a read from the checkpoint reached the end of the server's changes (a page
 * shorter than asked for), with the time (Date.now()) the read began: the server then had nothing
 * more of that collection for this device (chain-tails.ts tells withheld events by it).
 */
export function checkedArrivals(
  inner: typeof fetch,
  collection: SyncedCollection,
  gate: ArrivalGate,
  caughtUp?: (collection: SyncedCollection, readStartedAt: number) => void,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (init?.method === 'POST' && url.includes('/_all_docs') && SYNCED_COLLECTIONS[collection] === 'insert_only') {
      return checkedServerCopies(await inner(input, init), collection, gate);
    }
    if (!url.includes('/_changes?') || url.includes('feed=longpoll')) return inner(input, init);
    const startedAt = Date.now();
    const limit = Number(new URL(url).searchParams.get('limit') ?? Infinity);
    let response = await inner(input, init);
    let body = (await response.json()) as ChangesPage;
    for (;;) {
      if (!response.ok || !Array.isArray(body.results)) break;
      const offered = body.results.length;
      const results = await gate.admit(collection, body.results);
      body = { ...body, results };
      if (offered < limit) caughtUp?.(collection, startedAt);
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

type AllDocsRow = { key?: unknown; doc?: unknown };

/*
 * Before a push, RxDB reads the server's copies of what it is about to write (POST
 * `_all_docs`) and takes each one as the server's "master state". For insert-only records a
 * copy there means "the server holds it", so the local record would never be sent; a copy that
 * fails the arrival checks is kept aside and answered as absent, so the genuine local record
 * is pushed. (Mutable documents are checked in their conflict handler, which can keep the
 * local state standing; conflict-handlers.ts.)
 */
async function checkedServerCopies(response: Response, collection: SyncedCollection, gate: ArrivalGate): Promise<Response> {
  if (!response.ok) return response;
  const body = (await response.json()) as { rows?: unknown; [key: string]: unknown };
  if (Array.isArray(body.rows)) {
    body.rows = await Promise.all(
      body.rows.map(async (row: AllDocsRow) =>
        row && typeof row === 'object' && row.doc && typeof row.doc === 'object' && !(await gate.checkMasterState(collection, row.doc))
          ? { key: row.key, error: 'not_found' }
          : row,
      ),
    );
  }
  return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
}
