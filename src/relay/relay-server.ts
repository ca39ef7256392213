import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmissionGate } from './admission-gate';
import type { InboxWriter } from './inbox-writer';
import type { JsonLog } from './json-log';
import type { RelayConfig } from './relay-config';
import { hasValidSignature } from './webhook-signature';

// The Meta webhook endpoint. node:http rather than a framework: the service has three
// routes, must see the raw body bytes before anything parses them (the signature covers
// exactly those bytes), must stop reading at the size limit, and needs no dependency beyond
// Node itself to deploy and audit.
export const WEBHOOK_PATH = '/webhook';
export const HEALTH_PATH = '/health';

export type RelayServer = {
  listen(): Promise<{ host: string; port: number; url: string }>;
  // Stops accepting connections, lets the deliveries in flight finish (up to the grace
  // period) and then closes every connection.
  close(): Promise<void>;
  readonly inFlight: number;
};

type Outcome = { status: number; body: string; type?: string; headers?: Record<string, string> };

const text = (status: number, body: string, headers?: Record<string, string>): Outcome => ({ status, body, type: 'text/plain; charset=utf-8', headers });
const json = (status: number, value: unknown): Outcome => ({ status, body: JSON.stringify(value), type: 'application/json' });

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        // Stop buffering; the rest is drained and dropped so the 413 can still be sent.
        chunks.length = 0;
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

const sameSecret = (given: string, expected: string) => {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
};

export function createRelayServer(config: RelayConfig, deps: { inbox: InboxWriter; log: JsonLog; now?: () => Date }): RelayServer {
  const { inbox, log } = deps;
  const now = deps.now ?? (() => new Date());
  const gate = createAdmissionGate(config.maxConcurrency, config.maxQueue);
  let inFlight = 0;
  let closing = false;
  const drained: Array<() => void> = [];

  const verify = (url: URL): Outcome => {
    const mode = url.searchParams.get('hub.mode');
    const token = url.searchParams.get('hub.verify_token');
    const challenge = url.searchParams.get('hub.challenge');
    if (mode !== 'subscribe' || token === null || challenge === null || challenge === '') {
      log('warn', 'verification_malformed', { mode: mode ?? '' });
      return text(400, 'Expected hub.mode=subscribe, hub.verify_token and hub.challenge.');
    }
    if (!sameSecret(token, config.verifyToken)) {
      log('warn', 'verification_refused', { reason: 'wrong verify token' });
      return text(403, 'The verify token does not match.');
    }
    log('info', 'verification_completed');
    // Meta expects the challenge echoed back as is; as plain text it cannot script anything.
    return text(200, challenge.slice(0, 1000));
  };

  const receive = async (req: IncomingMessage): Promise<Outcome> => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > config.maxBodyBytes) {
      log('warn', 'delivery_refused', { reason: 'too large', bytes: declared });
      req.resume();
      return text(413, `The body is larger than ${config.maxBodyBytes} bytes.`, { Connection: 'close' });
    }
    let body: Buffer;
    try {
      body = await readBody(req, config.maxBodyBytes);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        log('warn', 'delivery_refused', { reason: 'too large' });
        return text(413, `The body is larger than ${config.maxBodyBytes} bytes.`, { Connection: 'close' });
      }
      throw e;
    }
    const signature = req.headers['x-hub-signature-256'];
    if (!hasValidSignature(body, typeof signature === 'string' ? signature : undefined, config.appSecret)) {
      log('warn', 'delivery_refused', { reason: signature === undefined ? 'missing signature' : 'bad signature', bytes: body.length });
      return text(401, 'The X-Hub-Signature-256 header is missing or does not match the body.');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      log('warn', 'delivery_refused', { reason: 'not JSON', bytes: body.length });
      return text(400, 'The body is not JSON.');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      log('warn', 'delivery_refused', { reason: 'not a JSON object', bytes: body.length });
      return text(400, 'The body must be one JSON object (a webhook notification).');
    }
    const release = await gate.enter();
    if (!release) {
      log('warn', 'delivery_deferred', { reason: 'queue full', waiting: gate.waiting });
      return text(503, 'Busy; retry later.', { 'Retry-After': '5' });
    }
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const started = Date.now();
    try {
      const result = await inbox.store({ bodySha256, payload, receivedAt: now().toISOString(), relay: config.name });
      log('info', result === 'stored' ? 'delivery_stored' : 'delivery_duplicate', { id: bodySha256, bytes: body.length, ms: Date.now() - started });
      return text(200, 'EVENT_RECEIVED');
    } catch (e) {
      log('error', 'delivery_not_stored', { id: bodySha256, reason: e instanceof Error ? e.message : String(e), ms: Date.now() - started });
      return text(503, 'The delivery could not be stored; retry later.', { 'Retry-After': '10' });
    } finally {
      release();
    }
  };

  const health = async (): Promise<Outcome> => {
    if (closing) return json(503, { status: 'shutting_down' });
    const couch = await inbox.check();
    return couch.ok
      ? json(200, { status: 'ok', inFlight, waiting: gate.waiting })
      : json(503, { status: 'unavailable', reason: couch.reason });
  };

  const route = async (req: IncomingMessage): Promise<Outcome> => {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    if (url.pathname === WEBHOOK_PATH) {
      if (req.method === 'GET') return verify(url);
      if (req.method === 'POST') return closing ? text(503, 'Shutting down; retry later.', { 'Retry-After': '5' }) : receive(req);
      return text(405, 'Only GET (verification) and POST (notifications).', { Allow: 'GET, POST' });
    }
    if (url.pathname === HEALTH_PATH && req.method === 'GET') return health();
    return text(404, 'Not found.');
  };

  const send = (res: ServerResponse, o: Outcome) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(o.status, {
      'Content-Type': o.type ?? 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(o.body),
      'X-Content-Type-Options': 'nosniff',
      ...(closing ? { Connection: 'close' } : {}),
      ...o.headers,
    });
    res.end(o.body);
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    route(req)
      .catch((e: unknown) => {
        log('error', 'request_failed', { reason: e instanceof Error ? e.message : String(e) });
        return text(500, 'Internal error.');
      })
      .then((o) => send(res, o))
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) drained.splice(0).forEach((f) => f());
      });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  return {
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const url = `http://${address.address}:${address.port}`;
      log('info', 'relay_listening', { url, database: config.couchDatabase, maxConcurrency: config.maxConcurrency });
      return { host: address.address, port: address.port, url };
    },
    async close() {
      if (closing) return;
      closing = true;
      log('info', 'relay_stopping', { inFlight });
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const allDone = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs);
      });
      const how = await Promise.race([allDone.then(() => 'drained' as const), grace]);
      clearTimeout(timer);
      server.closeAllConnections();
      await stopped;
      log('info', 'relay_stopped', { how, inFlight });
    },
    get inFlight() {
      return inFlight;
    },
  };
}
