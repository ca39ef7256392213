import type { Contact } from '../../shared/domain';
import { canonicalWaNumber, waIdVariants } from '../../shared/wa-id';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';

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

export type SenderRequest = { from: string; profileName: string; create: boolean };

export async function resolveSenders(
  deps: { directory: ContactDirectory; contacts: ContactService },
  requests: readonly SenderRequest[],
): Promise<Map<string, Sender>> {
  const senders = new Map<string, Sender>();
  const toCreate = new Map<string, string>();
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
    if (number !== '' && create && !toCreate.has(number)) toCreate.set(number, profileName || number);
  }
  if (toCreate.size === 0) return senders;
  const created = await deps.contacts.createMany([...toCreate].map(([number, name]) => ({ name, phoneInput: number })));
  const byNumber = new Map(created.map((c) => [c.waNumber, c] as const));
  for (const [from, sender] of senders) {
    const contact = sender.contact ?? byNumber.get(sender.number);
    if (contact) senders.set(from, { contact, number: sender.number });
  }
  return senders;
}
