import { forwardTo, listenOnLoopback, rewriteJson } from './loopback-proxy';

// True for a document of database `db` the proxy must keep from the device.
export type Withhold = (db: string, doc: Record<string, unknown>) => boolean;

export type WithholdingProxy = { url: string; withheld(): number; close(): Promise<void> };

type ChangesAnswer = { results?: Array<{ doc?: Record<string, unknown> }> };

/*
 * A pass-through in front of the CouchDB-protocol server that withholds: the rows of `_changes`
 * reads (RxDB's pull) whose document `withhold` picks are taken out of the answer, and the
 * page's checkpoint still moves on, as a server that drops them would answer. Everything else,
 * pushes included, is the real server's.
 */
export async function startWithholdingProxy(target: string, withhold: Withhold): Promise<WithholdingProxy> {
  const upstream = new URL(target);
  let dropped = 0;
  const server = await listenOnLoopback((req, res) => {
    const path = req.url ?? '';
    const match = /^\/([^/?]+)\/_changes\?/.exec(path);
    if (req.method !== 'GET' || match === null || path.includes('feed=longpoll')) return forwardTo(upstream, req, res);
    const db = decodeURIComponent(match[1] ?? '');
    forwardTo(upstream, req, res, {
      rewrite: rewriteJson<ChangesAnswer>((parsed) => {
        if (!Array.isArray(parsed.results)) return null;
        const kept = parsed.results.filter((row) => !(row.doc && withhold(db, row.doc)));
        dropped += parsed.results.length - kept.length;
        return { ...parsed, results: kept };
      }),
    });
  });
  return { url: server.url, withheld: () => dropped, close: server.close };
}
