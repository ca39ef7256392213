import { z } from 'zod';
import { channel } from './channel';

// Documents another device or the server offered that failed the arrival checks: kept aside
// on this device with their reason, never folded (DESIGN "Trust boundaries").
export type QuarantinedDocument = {
  // The shared collection it arrived for ('consent_events', 'contacts', …).
  collection: string;
  docId: string;
  // too_large | forbidden_key | malformed | hash_mismatch | seq_taken | broken_link | missing_previous | missing_contact
  // | unknown_device | bad_signature | device_revoked | unsigned (events), unknown_signer | signer_revoked
  // | key_conflict | root_not_revocable (enrolment records)
  reason: string;
  detail: string;
  // What it waits for ('' when it can never pass): it is checked again when that arrives.
  waitingFor: string;
  firstSeenAt: string;
  lastCheckedAt: string;
  bytes: number;
  // The start of the document as it arrived.
  excerpt: string;
};

export const SYNC_PROBLEM_VIEWERS = ['compliance_officer', 'admin'] as const;

export const syncTrustChannels = {
  'sync:quarantine': channel<QuarantinedDocument[]>()({
    input: z.object({}).strict(),
    access: SYNC_PROBLEM_VIEWERS,
    summary: 'Documents received by sync that failed the checks (schema, size, hash, chain, contact) and were kept aside, newest first.',
    returns: 'QuarantinedDocument[] { collection, docId, reason, detail, waitingFor, firstSeenAt, lastCheckedAt, bytes, excerpt }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'sync:recheckQuarantine': channel<QuarantinedDocument[]>()({
    input: z.object({}).strict(),
    access: SYNC_PROBLEM_VIEWERS,
    summary:
      'Checks every kept-aside document again now (what it waited for may have arrived, or a device may have been enrolled since); those that pass enter the store. Answers the documents still kept aside, newest first.',
    returns: 'QuarantinedDocument[] (as sync:quarantine)',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
};
