import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

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
  const sockets = new Set<Socket>();
  let told = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = /^\/([^/]+)\/_all_docs$/.exec(path);
    const rewriting = req.method === 'POST' && match !== null;
    const onward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (!rewriting || !match) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        try {
          const parsed = JSON.parse(body) as { rows?: AllDocsRow[] };
          const rows = parsed.rows && lie(decodeURIComponent(match[1] ?? ''), parsed.rows);
          if (rows) {
            told += 1;
            body = JSON.stringify({ ...parsed, rows });
          }
        } catch {
          // Not JSON: passed on as it came.
        }
        const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    onward.on('error', () => res.destroy());
    req.pipe(onward);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    lies: () => told,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
