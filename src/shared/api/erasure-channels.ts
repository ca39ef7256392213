import { z } from 'zod';
import { isBlankText } from '../visible-text';
import { channel } from './channel';
import { ACCESS_EXPORTERS } from './lifecycle-channels';

// Erasure of a contact's personal data (GDPR Art. 17, issue 22; docs/erasure.md).

export type ErasureOutcome = {
  contactId: string;
  erasedAt: string;
  // True when the contact had been erased before (this call only scrubbed what came back).
  alreadyErased: boolean;
  contact: boolean;
  // Events whose personal values and salts were deleted; their hashes still verify.
  events: number;
  // Events written before salted digests: their values are part of their hash and stay.
  legacyEvents: number;
  inboundMessages: number;
  reviewItems: number;
};

export type ErasureStatus = { erased: false } | { erased: true; erasedAt: string; actorName: string; reason: string; deviceId: string };

const contactId = z.string().min(1).max(128);

export const erasureChannels = {
  'erasure:eraseContact': channel<ErasureOutcome>()({
    input: z
      .object({ contactId, reason: z.string().max(500).refine((r) => !isBlankText(r), 'a reason is required') })
      .strict(),
    access: ACCESS_EXPORTERS,
    summary:
      "Erases a contact's personal data on every device (GDPR Art. 17): name, number, e-mail, properties and tags of the contact; the values and salts of its events' personal fields (the digests and hashes stay, so the ledger still verifies); inbound message text and sender number; review item texts. Recorded as an audit entry contact.erased that replicates; every device that receives it erases the same, and again whenever an old copy arrives.",
    returns: 'ErasureOutcome { contactId, erasedAt, alreadyErased, contact, events, legacyEvents, inboundMessages, reviewItems }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
  'erasure:status': channel<ErasureStatus>()({
    input: z.object({ contactId }).strict(),
    access: 'signed_in',
    summary: 'Whether a contact was erased, when, by whom and why (from the erasure record).',
    returns: 'ErasureStatus { erased: false } | { erased: true, erasedAt, actorName, reason, deviceId }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};
