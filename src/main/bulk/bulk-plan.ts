import type { BulkSkipReason } from '../../shared/api/bulk-channels';
import type { ConsentStateRow, ConsentStatus } from '../../shared/domain';
import type { ContactDirectory } from '../contacts/contact-directory';

// Decides, per contact, whether a bulk status change applies or why it is skipped.
// Pure over the directory and the projected states it is given.
export type BulkDecision =
  | { contactId: string; name: string; change: true; state: ConsentStateRow | undefined }
  | { contactId: string; name: string; change: false; reason: BulkSkipReason };

export function decide(
  contactId: string,
  typeId: string,
  status: ConsentStatus,
  directory: ContactDirectory,
  state: ConsentStateRow | undefined,
): BulkDecision {
  const contact = directory.get(contactId);
  if (!contact) return { contactId, name: '', change: false, reason: 'not_found' };
  const name = contact.name;
  const current = state?.status ?? 'not_specified';
  if (current === status) return { contactId, name, change: false, reason: 'unchanged' };
  if (status === 'subscribed' && !contact.phoneValid) return { contactId, name, change: false, reason: 'invalid_number' };
  // A bulk action never lifts a contact's own opt-out: that needs per-contact confirmation.
  if (state?.ownOptOut && status !== 'unsubscribed') return { contactId, name, change: false, reason: 'own_opt_out' };
  return { contactId, name, change: true, state };
}
