import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInboxWriter } from '../../src/relay/inbox-writer';
import { silentLog, type JsonLog } from '../../src/relay/json-log';
import { parseRelayConfig, type RelayConfig } from '../../src/relay/relay-config';
import { createRelayServer, WEBHOOK_PATH, type RelayServer } from '../../src/relay/relay-server';
import { signBody } from '../../src/relay/webhook-signature';
import { webhookInboxDatabase } from '../../src/shared/relay/webhook-inbox';
import { freePort, type CouchServer } from './couch-server';

// The webhook relay for tests: in this process (fast, for the HTTP rules) or as a child
// process that can really be killed (for crash tests), against a pouchdb-server.
export const APP_SECRET = 'test-app-secret-0123456789';
export const VERIFY_TOKEN = 'verify-token-abcdef';
export const INBOX_BASE = 'consentdesk';
export const INBOX_DB = webhookInboxDatabase(INBOX_BASE);

export function relayConfig(server: CouchServer, overrides: Partial<RelayConfig> = {}): RelayConfig {
  return parseRelayConfig({
    host: '127.0.0.1',
    port: 0,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    couchUrl: server.url,
    couchDatabase: INBOX_BASE,
    couchUser: server.admin?.username ?? '',
    couchPassword: server.admin?.password ?? '',
    couchTimeoutMs: 3000,
    shutdownGraceMs: 5000,
    name: 'relay-test',
    ...overrides,
  });
}

export async function startRelay(config: RelayConfig, log: JsonLog = silentLog): Promise<{ url: string; relay: RelayServer }> {
  const inbox = createInboxWriter({ couchUrl: config.couchUrl, database: config.couchDatabase, user: config.couchUser, password: config.couchPassword, timeoutMs: config.couchTimeoutMs });
  const relay = createRelayServer(config, { inbox, log });
  const { url } = await relay.listen();
  return { url, relay };
}

// `npm run relay` in a child process, configured through the environment as in production.
export type RelayProcess = { url: string; child: ChildProcess; output: () => string; kill(): Promise<void>; stop(): Promise<void> };

export async function startRelayProcess(server: CouchServer, env: Record<string, string> = {}): Promise<RelayProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/relay/main.ts')], {
    env: {
      PATH: process.env.PATH ?? '',
      RELAY_HOST: '127.0.0.1',
      RELAY_PORT: String(port),
      RELAY_APP_SECRET: APP_SECRET,
      RELAY_VERIFY_TOKEN: VERIFY_TOKEN,
      RELAY_COUCH_URL: server.url,
      RELAY_COUCH_DATABASE: INBOX_BASE,
      RELAY_NAME: `relay-child-${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolveReady, reject) => {
    const onExit = (code: number | null) => reject(new Error(`relay exited with ${code}: ${output}`));
    child.once('exit', onExit);
    const poll = setInterval(() => {
      if (output.includes('"relay_listening"')) {
        clearInterval(poll);
        child.off('exit', onExit);
        resolveReady();
      }
    }, 20);
  });
  const ended = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  };
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, kill: ended('SIGKILL'), stop: ended('SIGTERM') };
}

export const webhookUrl = (relayUrl: string) => `${relayUrl}${WEBHOOK_PATH}`;

export type PostResult = { status: number; body: string };

export async function postDelivery(relayUrl: string, body: string, signature: string | null = signBody(body, APP_SECRET)): Promise<PostResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (signature !== null) headers['X-Hub-Signature-256'] = signature;
  const r = await fetch(webhookUrl(relayUrl), { method: 'POST', headers, body });
  return { status: r.status, body: await r.text() };
}

// How Meta delivers: the same body again after a failure (no answer, or not 200), until a
// 200. Returns how many attempts it took.
export async function deliverLikeMeta(relayUrl: () => string, body: string, o: { maxAttempts?: number; waitMs?: number } = {}): Promise<number> {
  const maxAttempts = o.maxAttempts ?? 200;
  for (let attempt = 1; ; attempt += 1) {
    const r = await postDelivery(relayUrl(), body).catch(() => null);
    if (r?.status === 200) return attempt;
    if (attempt >= maxAttempts) throw new Error(`not delivered after ${attempt} attempts (last ${r ? r.status : 'no answer'})`);
    await new Promise((res) => setTimeout(res, o.waitMs ?? 50));
  }
}

// Runs `work` over the items with at most `limit` at a time.
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
