import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// A pass-through in front of the CouchDB-protocol server that never answers live feeds
// (`_changes?feed=longpoll`): a device behind it only learns of server changes by reading
// them from its checkpoint, as it must when its live feed has missed one.
export type SilentFeedProxy = { url: string; heldFeeds(): number; close(): Promise<void> };

export async function startSilentFeedProxy(target: string): Promise<SilentFeedProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let held = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').includes('feed=longpoll')) {
      held += 1;
      return; // left open until the device gives up on it or the proxy closes
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
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
    heldFeeds: () => held,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
