import { forwardTo, listenOnLoopback } from './loopback-proxy';

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
  let feedRequests = 0;
  let forwardedFeeds = 0;
  let reads = 0;
  let inFlight = 0;
  const server = await listenOnLoopback((req, res) => {
    const path = req.url ?? '';
    if (path.includes('feed=longpoll')) {
      feedRequests += 1;
      if (options.holdFeeds) return; // left open until the device gives up on it or the proxy closes
      const open = () => {
        forwardedFeeds += 1;
        forwardTo(upstream, req, res);
      };
      if (options.feedDelayMs) setTimeout(open, options.feedDelayMs);
      else open();
      return;
    }
    if (path.includes('/_changes')) {
      reads += 1;
      inFlight += 1;
      res.once('close', () => (inFlight -= 1));
      forwardTo(upstream, req, res, { answerDelayMs: options.readDelayMs ?? 0 });
      return;
    }
    forwardTo(upstream, req, res);
  });
  return {
    url: server.url,
    feedsRequested: () => feedRequests,
    feedsForwarded: () => forwardedFeeds,
    changeReads: () => reads,
    readsInFlight: () => inFlight,
    close: server.close,
  };
}
