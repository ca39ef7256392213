import { z } from 'zod';
import {
  CONSENT_SOURCES,
  CONSENT_STATUSES,
  LEGAL_BASES,
  type ConsentEvent,
  type ConsentStatus,
  type SubscriptionType,
} from '../domain';
import type { ConsentExpiry } from '../consent/consent-expiry';
import type { MayMessageAnswer } from '../consent/may-message';
import { channel, CONSENT_WRITERS } from './channel';

export const CONSENT_ACTIONS = ['subscribe', 'resubscribe', 'unsubscribe'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

export type TypeConsent = {
  type: SubscriptionType;
  status: ConsentStatus;
  ownOptOut: boolean;
  lastEvent: ConsentEvent | null;
  // What the subscriptions panel offers for this status (SPEC 5).
  action: ConsentAction;
  marketing: MayMessageAnswer | null;
  // When the subscription's term ends, for a subscribed type with "valid for N months".
  expiry: ConsentExpiry | null;
};

export type ContactConsent = {
  contactId: string;
  types: TypeConsent[];
  optedOutAll: { status: ConsentStatus; ownOptOut: boolean; lastEvent: ConsentEvent | null };
  service: MayMessageAnswer;
};

const legalBasis = z.enum(LEGAL_BASES);
const explanation = z.string().trim().max(2000);

export const historyQuery = z
  .object({
    contactId: z.string().max(128).default(''),
    typeId: z.string().max(128).default(''),
    source: z.enum(CONSENT_SOURCES).or(z.literal('')).default(''),
    status: z.enum(CONSENT_STATUSES).or(z.literal('')).default(''),
    actorId: z.string().max(128).default(''),
    legalBasis: legalBasis.or(z.literal('')).default(''),
    deviceId: z.string().max(128).default(''),
    search: z.string().max(200).default(''),
    from: z.string().max(30).default(''),
    to: z.string().max(30).default(''),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type HistoryQuery = z.infer<typeof historyQuery>;

export type HistoryRow = ConsentEvent & { contactName: string; typeName: string };
export type HistoryPage = { rows: HistoryRow[]; total: number; offset: number };

export const consentChannels = {
  'consent:forContact': channel<ContactConsent>()({
    input: z.object({ contactId: z.string().min(1) }).strict(),
    access: 'signed_in',
    summary: 'The subscriptions panel of a contact: every type with its status, last event, the action offered and the may-I-message answer.',
    returns: 'ContactConsent',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'consent:change': channel<ConsentEvent>()({
    input: z
      .object({
        contactId: z.string().min(1),
        typeId: z.string().min(1),
        action: z.enum(CONSENT_ACTIONS),
        legalBasis: legalBasis.or(z.literal('')).default(''),
        explanation,
        // The last event id the user saw for this type ('' when none): a change made
        // without seeing a newer own opt-out is refused instead of overriding it.
        basedOn: z.string().max(300),
        confirmOwnOptOut: z.boolean().default(false),
      })
      .strict(),
    access: CONSENT_WRITERS,
    summary:
      'Subscribe, resubscribe or unsubscribe a contact for a type (SPEC 5). Subscribing needs a legal basis, an explanation and a valid number; resubscribing a contact who opted out themselves needs confirmOwnOptOut.',
    returns: 'ConsentEvent (the recorded event)',
    errors: [
      'invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'invalid_phone', 'legal_basis_required',
      'explanation_required', 'confirmation_required', 'conflict',
    ],
  }),
  'consent:setOptOutAll': channel<ConsentEvent>()({
    input: z
      .object({
        contactId: z.string().min(1),
        optedOut: z.boolean(),
        explanation,
        basedOn: z.string().max(300),
        confirmOwnOptOut: z.boolean().default(false),
      })
      .strict(),
    access: CONSENT_WRITERS,
    summary: 'Set or clear the channel-wide "opted out of all WhatsApp" flag. Clearing a flag the contact set themselves needs confirmOwnOptOut.',
    returns: 'ConsentEvent',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'explanation_required', 'confirmation_required', 'conflict'],
  }),
  'consent:history': channel<HistoryPage>()({
    input: historyQuery,
    access: 'signed_in',
    summary: 'Consent events, newest first, filtered by contact, type, source, status, actor, legal basis, device, text and date range; paged.',
    returns: 'HistoryPage { rows: HistoryRow[]; total; offset }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'consent:mayMessage': channel<MayMessageAnswer>()({
    input: z
      .object({ contactId: z.string().min(1), typeId: z.string().max(128).default(''), category: z.enum(['marketing', 'service']) })
      .strict(),
    access: 'signed_in',
    summary: 'May I message this contact? Marketing needs a subscribed marketing type, no channel opt-out and a valid number; service replies need an inbound message in the last 24 hours. Always says why.',
    returns: 'MayMessageAnswer { allowed, reasonCode, reason }',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
};
