import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCouchServer, type CouchServer } from '../../helpers/couch-server';
import {
  deliverLikeMeta, INBOX_DB, inParallel, postDelivery, relayConfig, startRelay, startRelayProcess, type RelayProcess,
} from '../../helpers/relay-harness';
import { textMessage, webhook } from '../../helpers/webhook';
import { waitFor } from '../../helpers/sync-devices';

// Nothing lost, nothing twice: the relay really killed mid-burst, drained on SIGTERM, and
// flooded, each time checked message by message against what CouchDB holds.
let server: CouchServer;
const relays: RelayProcess[] = [];

beforeEach(async () => {
  server = await startCouchServer();
  await server.createDatabases([INBOX_DB]);
});
afterEach(async () => {
  for (const r of relays.splice(0)) await r.kill();
  await server.stop();
});

const bodies = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => JSON.stringify(webhook([textMessage(`wamid.${prefix}${i}`, i % 3 === 0 ? 'STOP' : `hello ${i}`, 1_767_000_000 + i, `4860${String(1_000_000 + i)}`)])));

// Message id → how many stored deliveries carry it.
async function storedMessageIds(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const doc of await server.allDocs(INBOX_DB)) {
    const payload = doc.payload as ReturnType<typeof webhook>;
    for (const entry of payload.entry) {
      for (const change of entry.changes) {
        const value = change.value as { messages?: Array<{ id: string }> };
        for (const m of value.messages ?? []) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
      }
    }
  }
  return counts;
}

describe('relay durability', () => {
  it('records each message exactly once when the relay is killed mid-burst and Meta retries', async () => {
    const all = bodies(300, 'K');
    let current = await startRelayProcess(server);
    relays.push(current);
    const burst = inParallel(all, 8, async (body) => {
      await deliverLikeMeta(() => current.url, body, { maxAttempts: 400, waitMs: 25 });
    });
    await waitFor('part of the burst to be stored', async () => (await server.docCount(INBOX_DB)) >= 60);
    await current.kill();
    expect(current.child.signalCode).toBe('SIGKILL');
    const stored = await server.docCount(INBOX_DB);
    expect(stored).toBeLessThan(all.length);
    current = await startRelayProcess(server);
    relays.push(current);
    await burst;
    const ids = await storedMessageIds();
    expect(ids.size).toBe(all.length);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    expect(await server.docCount(INBOX_DB)).toBe(all.length);
  }, 180_000);

  it('on SIGTERM answers 200 only for deliveries it stored, then stops cleanly', async () => {
    const all = bodies(200, 'T');
    const relay = await startRelayProcess(server);
    relays.push(relay);
    const acknowledged: string[] = [];
    const burst = inParallel(all, 8, async (body) => {
      const r = await postDelivery(relay.url, body).catch(() => null);
      if (r?.status === 200) acknowledged.push(body);
    });
    await waitFor('part of the burst to be stored', async () => (await server.docCount(INBOX_DB)) >= 40);
    await relay.stop();
    await burst;
    expect(relay.child.exitCode).toBe(0);
    expect(relay.output()).toContain('"relay_stopped"');
    const stored = new Set((await server.allDocs(INBOX_DB)).map((d) => JSON.stringify(d.payload)));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const body of acknowledged) expect(stored.has(JSON.stringify(JSON.parse(body)))).toBe(true);
  });

  it('takes a burst of 2,000 signed deliveries and loses none', async () => {
    const { url, relay } = await startRelay(relayConfig(server));
    try {
      const all = bodies(2000, 'B');
      let attempts = 0;
      await inParallel(all, 32, async (body) => {
        const tries = await deliverLikeMeta(() => url, body, { maxAttempts: 50 });
        attempts += tries;
      });
      // 32 senders never exceed the relay's default concurrency and queue: one attempt each.
      expect(attempts).toBe(all.length);
      expect(await server.docCount(INBOX_DB)).toBe(2000);
      const ids = await storedMessageIds();
      expect(ids.size).toBe(2000);
      expect([...ids.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await relay.close();
    }
  }, 240_000);

  it('bounds concurrency: beyond the queue it answers 503 with Retry-After, and retries still store everything once', async () => {
    const { url, relay } = await startRelay(relayConfig(server, { maxConcurrency: 1, maxQueue: 1 }));
    try {
      const all = bodies(40, 'Q');
      const first = await Promise.all(all.map((b) => postDelivery(url, b)));
      const busy = first.filter((r) => r.status === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(first.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      await inParallel(all, 4, async (body) => void (await deliverLikeMeta(() => url, body, { maxAttempts: 100, waitMs: 10 })));
      expect((await storedMessageIds()).size).toBe(40);
      expect(await server.docCount(INBOX_DB)).toBe(40);
    } finally {
      await relay.close();
    }
  });
});
