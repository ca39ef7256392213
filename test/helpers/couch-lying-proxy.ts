import { forwardTo, listenOnLoopback, rewriteJson } from './loopback-proxy';

// One row of an `_all_docs` answer with include_docs (what a push reads to find conflicts).
export type AllDocsRow = { id?: string; key?: string; value?: unknown; error?: string; doc?: Record<string, unknown> | null };

// Rewrites the rows of a POST `_all_docs` answer for database `db`; null passes it unchanged.
export type AllDocsLie = (db: string, rows: AllDocsRow[]) => AllDocsRow[] | null;

export type LyingProxy = { url: string; lies(): number; close(): Promise<void> };

/*
 * A pass-through in front of the CouchDB-protocol server that lies in one place: the answer a
 * device reads before it pushes (POST `<db>/_all_docs`, include_docs), which RxDB takes as
 * the server's "master state" of each document it is about to write. Everything else, pulls
 * included, is the real server's.
 */
export async function startLyingProxy(target: string, lie: AllDocsLie): Promise<LyingProxy> {
  const upstream = new URL(target);
  let told = 0;
  const server = await listenOnLoopback((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = /^\/([^/]+)\/_all_docs$/.exec(path);
    if (req.method !== 'POST' || match === null) return forwardTo(upstream, req, res);
    const db = decodeURIComponent(match[1] ?? '');
    forwardTo(upstream, req, res, {
      rewrite: rewriteJson<{ rows?: AllDocsRow[] }>((parsed) => {
        const rows = parsed.rows && lie(db, parsed.rows);
        if (!rows) return null;
        told += 1;
        return { ...parsed, rows };
      }),
    });
  });
  return { url: server.url, lies: () => told, close: server.close };
}
