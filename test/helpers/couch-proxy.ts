import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// A pass-through in front of the CouchDB-protocol server that plays a difficult link for live
// feeds (`_changes?feed=longpoll`) and checkpoint reads (other `_changes` requests):
// - holdFeeds: live feeds are never answered, so the device learns of server changes only by
//   reading them from its checkpoint;
// - feedDelayMs: live feeds reach the server only after a delay (so `since=now` is later than
//   the device's first read);
// - readDelayMs: checkpoint reads are answered only after a delay (a slow link).
export type CouchProxyOptions = { holdFeeds?: boolean; feedDelayMs?: number; readDelayMs?: number };
export type CouchProxy = { url: string; feedsRequested(): number; feedsForwarded(): number; changeReads(): number; readsInFlight(): number; close(): Promise<void> };

export async function startCouchProxy(target: string, options: CouchProxyOptions = {}): Promise<CouchProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let feedRequests = 0;
  let forwardedFeeds = 0;
  let reads = 0;
  let inFlight = 0;
  const forward = (req: IncomingMessage, res: ServerResponse, answerDelayMs = 0) => {
    const onward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const pass = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (answerDelayMs > 0) setTimeout(pass, answerDelayMs);
        else pass();
      },
    );
    onward.on('error', () => res.destroy());
    req.pipe(onward);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (path.includes('feed=longpoll')) {
      feedRequests += 1;
      if (options.holdFeeds) return; // left open until the device gives up on it or the proxy closes
      const open = () => {
        forwardedFeeds += 1;
        forward(req, res);
      };
      if (options.feedDelayMs) setTimeout(open, options.feedDelayMs);
      else open();
      return;
    }
    if (path.includes('/_changes')) {
      reads += 1;
      inFlight += 1;
      res.once('close', () => (inFlight -= 1));
      forward(req, res, options.readDelayMs ?? 0);
      return;
    }
    forward(req, res);
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
    feedsRequested: () => feedRequests,
    feedsForwarded: () => forwardedFeeds,
    changeReads: () => reads,
    readsInFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
