import type { ConsentEvent } from '../../shared/domain';
import type { ReviewItemDoc } from '../store/schemas/operations-schemas';
import { erasePersonalPaths } from './personal-digests';

/*
 * What retention (docs/data-rights.md) removes from the records made from an inbound message
 * once it is older than the retention period: the message's text, nothing else. Erasure
 * (contact-scrub.ts) removes all of a contact's personal data; retention keeps the contact,
 * the sender's number and every id, code and time.
 */

// Personal paths of an event made from an inbound message (consent/message-ingestion.ts) that
// hold the message's text: the explanation quotes it (`Sent "STOP" to …`), the evidence holds
// the text, a button's text and payload, a platform preference's detail.
export const MESSAGE_TEXT_PATHS = ['explanation', 'evidence/messageText', 'evidence/buttonText', 'evidence/buttonPayload', 'evidence/detail'] as const;

// Set on an inbound message once its events and review item lost the text too (messages
// cleared by an earlier version had only their own text removed).
export const RECORDS_TEXT_REMOVED_KEY = 'recordsTextRemovedAt';

export const RETAINED_REVIEW_SUMMARY = 'The message text was removed after the retention period.';

// Evidence keys of a review item raised from a message that hold its text.
const REVIEW_TEXT_KEYS = ['messageText', 'buttonText', 'buttonPayload', 'detail'] as const;

export const eventHoldsMessageText = (event: ConsentEvent): boolean => MESSAGE_TEXT_PATHS.some((path) => event.personal?.[path]?.s !== undefined);

export const withoutMessageText = (event: ConsentEvent): ConsentEvent => erasePersonalPaths(event, MESSAGE_TEXT_PATHS);

// The event's personal values that are gone are all message text: what retention leaves.
export function isRetentionErased(event: ConsentEvent): boolean {
  const personal = event.personal;
  if (!personal) return false;
  const gone = Object.keys(personal).filter((path) => personal[path]?.s === undefined);
  return gone.length > 0 && gone.every((path) => (MESSAGE_TEXT_PATHS as readonly string[]).includes(path));
}

export const reviewHoldsMessageText = (item: ReviewItemDoc): boolean =>
  (item.summary !== '' && item.summary !== RETAINED_REVIEW_SUMMARY) || REVIEW_TEXT_KEYS.some((key) => typeof item.evidence[key] === 'string' && item.evidence[key] !== '');

export function reviewWithoutMessageText(item: ReviewItemDoc): Pick<ReviewItemDoc, 'summary' | 'evidence'> {
  const evidence: Record<string, unknown> = { ...item.evidence };
  for (const key of REVIEW_TEXT_KEYS) if (typeof evidence[key] === 'string') evidence[key] = '';
  // An erased item's summary ('') stays as erasure left it.
  return { summary: item.summary === '' ? '' : RETAINED_REVIEW_SUMMARY, evidence };
}
