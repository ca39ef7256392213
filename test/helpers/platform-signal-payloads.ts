import { BUSINESS } from './webhook';

// Meta Cloud API payloads that carry platform signals (issue 22): a number that changed
// hands, an identity change, a send that failed with 131050. Shapes as documented.
export const signalEnvelope = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: BUSINESS.display, phone_number_id: BUSINESS.phoneNumberId }, ...value } }] }],
});

// No contacts array; `from` is the old number, `system.wa_id` the new one.
export const numberChanged = (id: string, from: string, to: string, timestamp: number) =>
  signalEnvelope({ messages: [{ from, id, timestamp: String(timestamp), type: 'system', system: { body: `User Jan changed from ${from} to ${to}`, wa_id: to, type: 'user_changed_number' } }] });

export const failedStatus = (id: string, recipient: string, code: number, timestamp: number) =>
  signalEnvelope({
    statuses: [{
      id, status: 'failed', timestamp: String(timestamp), recipient_id: recipient,
      errors: [{ code, title: 'This message was not delivered to maintain healthy ecosystem engagement.', error_data: { details: 'The user has chosen to stop receiving marketing messages.' } }],
    }],
  });

export const withIdentity = (messages: Record<string, unknown>[], waId: string, hash: string) =>
  signalEnvelope({ contacts: [{ profile: { name: 'Jan' }, wa_id: waId, identity_key_hash: hash }], messages });
