import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// True for a document of database `db` the proxy must keep from the device.
export type Withhold = (db: string, doc: Record<string, unknown>) => boolean;

export type WithholdingProxy = { url: string; withheld(): number; close(): Promise<void> };

/*
 * A pass-through in front of the CouchDB-protocol server that withholds: the rows of `_changes`
 * reads (RxDB's pull) whose document `withhold` picks are taken out of the answer, and the
 * page's checkpoint still moves on, as a server that drops them would answer. Everything else,
 * pushes included, is the real server's.
 */
export async function startWithholdingProxy(target: string, withhold: Withhold): Promise<WithholdingProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let dropped = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    const match = /^\/([^/?]+)\/_changes\?/.exec(path);
    const rewriting = req.method === 'GET' && match !== null && !path.includes('feed=longpoll');
    // Plain answers only, so the rows can be read and rewritten.
    const { 'accept-encoding': _encoding, ...headers } = req.headers;
    const onward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      if (!rewriting || !match) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const raw = Buffer.concat(chunks);
        let body: string | Buffer = raw;
        try {
          const parsed = JSON.parse(raw.toString('utf8')) as { results?: Array<{ doc?: Record<string, unknown> }> };
          if (Array.isArray(parsed.results)) {
            const db = decodeURIComponent(match[1] ?? '');
            const kept = parsed.results.filter((row) => !(row.doc && withhold(db, row.doc)));
            dropped += parsed.results.length - kept.length;
            body = JSON.stringify({ ...parsed, results: kept });
          }
        } catch {
          // Not JSON: passed on as it came.
        }
        const answerHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
        delete answerHeaders['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, answerHeaders);
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
    withheld: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
