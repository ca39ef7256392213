// "May I message this contact?" (SPEC 10): one rule for the contact record and for code.
//
// Decisions:
// - Checks run in a fixed order and the first failing one is the answer, so the
//   reason is always the most fundamental one (a bad number before a missing consent).
// - The channel-wide flag (ALL_WHATSAPP_TYPE_ID 'unsubscribed') blocks service
//   replies too: a contact who opted out of all WhatsApp gets nothing until the flag
//   is cleared, e.g. by their own START.
// - Service replies ignore the per-type status: the 24-hour window exists because the
//   contact wrote first, and that is not marketing or transactional consent.
// - A marketing check against a type whose purpose is not marketing is refused rather
//   than guessed, so callers cannot pass the transactional type by mistake.
// - The window is open while now − lastInboundAt < 24 h; an inbound time in the
//   future (clock skew between devices) counts as within the window.
// - A subscription to a type with "valid for N months" stops allowing marketing once its
//   term is over (consent-expiry.ts); the answer names the day it expired.
import { consentExpiry } from './consent-expiry';
import { ALL_WHATSAPP_TYPE_ID, type ConsentStatus, type Contact, type SubscriptionType } from '../domain';

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const MESSAGE_CATEGORIES = ['marketing', 'service'] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

export const MAY_MESSAGE_REASON_CODES = [
  'ok_subscribed',
  'ok_service_window',
  'invalid_number',
  'channel_opt_out',
  'not_marketing_type',
  'type_archived',
  'not_subscribed',
  'unsubscribed',
  'consent_expired',
  'no_inbound_message',
  'outside_service_window',
] as const;
export type MayMessageReasonCode = (typeof MAY_MESSAGE_REASON_CODES)[number];

export type MayMessageInput = {
  contact: Pick<Contact, 'waNumber' | 'phoneValid' | 'lastInboundAt'>;
  type: Pick<SubscriptionType, 'id' | 'name' | 'purpose' | 'archived' | 'validForMonths'>;
  category: MessageCategory;
  // Folded status per type id, including ALL_WHATSAPP_TYPE_ID; missing means 'not_specified'.
  stateByType: Readonly<Record<string, ConsentStatus | undefined>>;
  // occurredAt of the event that set each type's status (the consent_state row's
  // lastOccurredAt); needed only for types that expire.
  sinceByType?: Readonly<Record<string, string | undefined>>;
  now: Date;
};

export type MayMessageAnswer = {
  allowed: boolean;
  reasonCode: MayMessageReasonCode;
  reason: string;
  // For 'ok_service_window': when the window closes (ISO).
  windowClosesAt?: string;
  // For a subscription with a term: when it ends or ended (ISO).
  expiresAt?: string;
};

function refuse(reasonCode: MayMessageReasonCode, reason: string): MayMessageAnswer {
  return { allowed: false, reasonCode, reason };
}

function marketingAnswer(input: MayMessageInput): MayMessageAnswer {
  const { type, stateByType } = input;
  if (type.purpose !== 'marketing') {
    return refuse('not_marketing_type', `"${type.name}" is not a marketing subscription type, so it cannot allow marketing templates.`);
  }
  if (type.archived) return refuse('type_archived', `"${type.name}" is archived; marketing templates are not sent for it.`);
  const status = stateByType[type.id] ?? 'not_specified';
  if (status === 'unsubscribed') return refuse('unsubscribed', `The contact is unsubscribed from "${type.name}".`);
  if (status !== 'subscribed') {
    return refuse('not_subscribed', `The contact has not subscribed to "${type.name}"; marketing templates need a subscription.`);
  }
  const expiry = consentExpiry({ subscribedAt: input.sinceByType?.[type.id] ?? '', validForMonths: type.validForMonths, now: input.now });
  if (expiry.phase === 'expired') {
    return {
      ...refuse('consent_expired', `The contact's consent to "${type.name}" expired at ${expiry.expiresAt}; ask them to confirm it again.`),
      expiresAt: expiry.expiresAt,
    };
  }
  const answer: MayMessageAnswer = { allowed: true, reasonCode: 'ok_subscribed', reason: `The contact is subscribed to "${type.name}".` };
  return expiry.phase === 'no_expiry' ? answer : { ...answer, reason: `${answer.reason} The consent expires at ${expiry.expiresAt}.`, expiresAt: expiry.expiresAt };
}

function serviceAnswer(input: MayMessageInput): MayMessageAnswer {
  const { lastInboundAt } = input.contact;
  const lastInbound = lastInboundAt === '' ? Number.NaN : Date.parse(lastInboundAt);
  if (Number.isNaN(lastInbound)) {
    return refuse('no_inbound_message', 'The contact has never written to us, so there is no 24-hour service window.');
  }
  const closesAt = lastInbound + SERVICE_WINDOW_MS;
  if (input.now.getTime() >= closesAt) {
    return refuse(
      'outside_service_window',
      `The contact last wrote at ${new Date(lastInbound).toISOString()}; the 24-hour service window has closed. Use an approved template.`,
    );
  }
  const windowClosesAt = new Date(closesAt).toISOString();
  return {
    allowed: true,
    reasonCode: 'ok_service_window',
    reason: `The contact wrote within the last 24 hours; free-form replies are allowed until ${windowClosesAt}.`,
    windowClosesAt,
  };
}

export function canMessage(input: MayMessageInput): MayMessageAnswer {
  const { contact, stateByType } = input;
  if (!contact.phoneValid || contact.waNumber === '') {
    return refuse('invalid_number', 'The contact has no valid WhatsApp number.');
  }
  if (stateByType[ALL_WHATSAPP_TYPE_ID] === 'unsubscribed') {
    return refuse('channel_opt_out', 'The contact has opted out of all WhatsApp messages.');
  }
  return input.category === 'marketing' ? marketingAnswer(input) : serviceAnswer(input);
}
