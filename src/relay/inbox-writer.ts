import { deliveryIdFor, webhookInboxDatabase, type InboxDelivery } from '../shared/relay/webhook-inbox';

// Writes deliveries to the CouchDB inbox with plain HTTP. A PUT under the deterministic id
// either creates the document (201/202) or finds it there already (409: a retry of a delivery
// stored before, perhaps by another relay): both mean "stored", and only then does the relay
// answer Meta 200. Anything else is a failure the caller turns into a 5xx.
export type InboxWriter = {
  store(delivery: { bodySha256: string; payload: unknown; receivedAt: string; relay: string }): Promise<'stored' | 'already_stored'>;
  // Whether the inbox database answers (for the health endpoint).
  check(): Promise<{ ok: true } | { ok: false; reason: string }>;
};

export class InboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboxUnavailableError';
  }
}

export function createInboxWriter(o: { couchUrl: string; database: string; user: string; password: string; timeoutMs: number }): InboxWriter {
  const dbUrl = `${o.couchUrl.replace(/\/+$/, '')}/${encodeURIComponent(webhookInboxDatabase(o.database))}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (o.user || o.password) headers.Authorization = `Basic ${Buffer.from(`${o.user}:${o.password}`, 'utf8').toString('base64')}`;

  const request = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, { ...init, headers, signal: AbortSignal.timeout(o.timeoutMs) });
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
      throw new InboxUnavailableError(`CouchDB cannot be reached: ${cause}`);
    }
  };

  return {
    async store(d) {
      const doc: InboxDelivery = { _id: deliveryIdFor(d.bodySha256), kind: 'whatsapp_webhook', bodySha256: d.bodySha256, receivedAt: d.receivedAt, relay: d.relay, payload: d.payload };
      const response = await request(`${dbUrl}/${encodeURIComponent(doc._id)}`, { method: 'PUT', body: JSON.stringify(doc) });
      // The body is read in full either way so the connection goes back to the pool.
      const text = await response.text().catch(() => '');
      if (response.status === 201 || response.status === 202) return 'stored';
      if (response.status === 409) return 'already_stored';
      throw new InboxUnavailableError(`CouchDB answered ${response.status}: ${text.slice(0, 200)}`);
    },
    async check() {
      try {
        const response = await request(dbUrl, { method: 'GET' });
        await response.text().catch(() => '');
        return response.ok ? { ok: true } : { ok: false, reason: `CouchDB answered ${response.status} for the inbox database` };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
