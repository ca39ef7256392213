import type { Contact } from '../../shared/domain';
import { canonicalWaNumber, waIdVariants } from '../../shared/wa-id';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { InboundContactRequest } from '../contacts/inbound-contacts';

// Who sent each inbound message (SPEC 2). A sender is found under any spelling of its
// WhatsApp id (wa-id.ts: Mexico +52 1, Brazil's ninth digit, Argentina +54 9), so the
// same person never becomes a second contact. A sender not yet known becomes a contact
// (a keyword from them is still their own decision) only when `create` is set for one
// of their messages and their number is valid; an invalid wa_id never makes a contact.

export type Sender = {
  contact: Contact | null;
  // The valid E.164 form of the sender's number; '' when the phone library rejects every spelling.
  number: string;
};

// `at` is the message time, `opensWindow` whether it opens the 24-hour window: a contact
// made for the sender dates from its oldest message and carries its newest window time, so
// the contact is the same document on every device that reads the same messages.
export type SenderRequest = { from: string; profileName: string; create: boolean; at: string; opensWindow: boolean };

export async function resolveSenders(
  deps: { directory: ContactDirectory; contacts: ContactService },
  requests: readonly SenderRequest[],
): Promise<Map<string, Sender>> {
  await deps.directory.contactsReady;
  const senders = new Map<string, Sender>();
  const toCreate = new Map<string, InboundContactRequest>();
  for (const { from, profileName, create } of requests) {
    const known = senders.get(from);
    if (known?.contact || (known && known.number === '')) continue;
    let contact: Contact | null = null;
    for (const variant of waIdVariants(from)) contact ??= deps.directory.findByWaNumber(variant);
    if (contact) {
      senders.set(from, { contact, number: contact.waNumber });
      continue;
    }
    const number = known?.number ?? canonicalWaNumber(from) ?? '';
    senders.set(from, { contact: null, number });
    if (number !== '' && create && !toCreate.has(number)) toCreate.set(number, { waNumber: number, name: profileName || number, firstSeenAt: '', lastInboundAt: '' });
  }
  if (toCreate.size === 0) return senders;
  for (const r of requests) {
    const number = senders.get(r.from)?.number ?? '';
    const request = toCreate.get(number);
    if (!request || !r.create) continue;
    if (request.firstSeenAt === '' || r.at < request.firstSeenAt) request.firstSeenAt = r.at;
    if (r.opensWindow && r.at > request.lastInboundAt) request.lastInboundAt = r.at;
  }
  const created = await deps.contacts.createForSenders([...toCreate.values()]);
  const byNumber = new Map(created.map((c) => [c.waNumber, c] as const));
  for (const [from, sender] of senders) {
    const contact = sender.contact ?? byNumber.get(sender.number);
    if (contact) senders.set(from, { contact, number: sender.number });
  }
  return senders;
}
