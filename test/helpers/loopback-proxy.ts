import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/*
 * The parts every test proxy in front of the CouchDB-protocol server shares: a server on a free
 * loopback port whose close also ends open connections (live feeds stay open otherwise), and
 * forwarding a request upstream, with the answer passed on as it comes or rewritten whole.
 */
export type LoopbackServer = { url: string; close(): Promise<void> };

export async function listenOnLoopback(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// Returns the answer's new body, or null to pass it on unchanged.
export type RewriteBody = (body: string) => string | null;

export type ForwardOptions = {
  // Called on the whole answer (asked for uncompressed, so it can be read).
  rewrite?: RewriteBody;
  // The answer is passed on only after this delay (a slow link).
  answerDelayMs?: number;
};

export function forwardTo(upstream: URL, req: IncomingMessage, res: ServerResponse, options: ForwardOptions = {}): void {
  const { rewrite, answerDelayMs = 0 } = options;
  const { 'accept-encoding': _encoding, ...plainHeaders } = req.headers;
  const headers = rewrite ? plainHeaders : req.headers;
  const onward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
    if (!rewrite) {
      const pass = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      };
      if (answerDelayMs > 0) setTimeout(pass, answerDelayMs);
      else pass();
      return;
    }
    const chunks: Buffer[] = [];
    answer.on('data', (c: Buffer) => chunks.push(c));
    answer.on('end', () => {
      const raw = Buffer.concat(chunks);
      const rewritten = rewrite(raw.toString('utf8'));
      const body = rewritten ?? raw;
      const answerHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
      delete answerHeaders['transfer-encoding'];
      res.writeHead(answer.statusCode ?? 502, answerHeaders);
      res.end(body);
    });
  });
  onward.on('error', () => res.destroy());
  req.pipe(onward);
}

// A rewrite of a JSON answer; an answer that is not JSON is passed on as it came.
export const rewriteJson =
  <T>(change: (parsed: T) => T | null): RewriteBody =>
  (body) => {
    let parsed: T;
    try {
      parsed = JSON.parse(body) as T;
    } catch {
      return null;
    }
    const changed = change(parsed);
    return changed === null ? null : JSON.stringify(changed);
  };
