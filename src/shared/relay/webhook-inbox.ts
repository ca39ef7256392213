// The CouchDB inbox the webhook relay writes and every device reads (pull only).
// Shared by the relay (src/relay) and the desktop (src/main/inbox): one name, one shape.

// "consentdesk" → "consentdesk-webhook-inbox", beside the sync databases of the same base.
export const webhookInboxDatabase = (base: string) => `${base}-webhook-inbox`;

// The attribution every consent event from a relayed delivery carries.
export const RELAY_ATTRIBUTION = 'WhatsApp (relay)';

// One stored delivery: Meta's webhook body exactly as it was signed, parsed once by the relay.
// The id is derived from the body's SHA-256, so Meta retrying the same notification (or two
// relays behind a load balancer both receiving it) stores it once.
export type InboxDelivery = {
  _id: string;
  kind: 'whatsapp_webhook';
  bodySha256: string;
  receivedAt: string;
  relay: string;
  payload: unknown;
};

export const deliveryIdFor = (bodySha256: string) => `delivery:${bodySha256}`;

export const isInboxDelivery = (doc: unknown): doc is InboxDelivery => {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return (
    d.kind === 'whatsapp_webhook' &&
    typeof d._id === 'string' &&
    d._id === deliveryIdFor(String(d.bodySha256)) &&
    /^[0-9a-f]{64}$/.test(String(d.bodySha256)) &&
    typeof d.receivedAt === 'string' &&
    typeof d.relay === 'string' &&
    'payload' in d
  );
};
