// Builders for Meta WhatsApp Cloud API webhook payloads, as the platform sends them.
export const BUSINESS = { display: '48221234567', phoneNumberId: '106540352242922' };

type Msg = Record<string, unknown>;

export function webhook(messages: Msg[], opts: { from?: string; name?: string; preferences?: Msg[] } = {}) {
  const from = opts.from ?? '48601234567';
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: BUSINESS.display, phone_number_id: BUSINESS.phoneNumberId },
              contacts: [{ wa_id: from, profile: { name: opts.name ?? 'Jan Kowalski' } }],
              ...(messages.length ? { messages } : {}),
              ...(opts.preferences ? { user_preferences: opts.preferences } : {}),
            },
          },
        ],
      },
    ],
  };
}

export const textMessage = (id: string, body: string, timestamp = 1_767_000_000, from = '48601234567') => ({
  from, id, timestamp: String(timestamp), type: 'text', text: { body },
});

export const buttonMessage = (id: string, payload: string, text: string, timestamp = 1_767_000_000, from = '48601234567') => ({
  from, id, timestamp: String(timestamp), type: 'button', button: { payload, text }, context: { from: BUSINESS.display, id: 'wamid.template1' },
});
