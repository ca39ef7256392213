import { z } from 'zod';
import { PURPOSES, type SubscriptionType } from '../domain';
import { MAX_VALID_FOR_MONTHS } from '../consent/consent-expiry';
import { ADMIN_ONLY, channel } from './channel';

const typeFields = z.object({
  name: z.string().trim().min(1, 'Name is required').max(120),
  purpose: z.enum(PURPOSES),
  businessNumber: z.string().trim().min(1, 'The business number is required').max(32),
  phoneNumberId: z.string().trim().max(64).regex(/^\d*$/, 'phone_number_id is digits only').default(''),
  businessName: z.string().trim().min(1, 'The business name is required (it is shown in opt-in disclosures)').max(120),
  // Consent expiry: months a subscription lasts; 0 = it does not expire.
  validForMonths: z.number().int('Whole months only').min(0).max(MAX_VALID_FOR_MONTHS, `At most ${MAX_VALID_FOR_MONTHS} months`).default(0),
});

export const typesChannels = {
  'types:list': channel<SubscriptionType[]>()({
    input: z.object({ includeArchived: z.boolean().default(false) }).strict(),
    access: 'signed_in',
    summary: 'Subscription types (one per WhatsApp Business number and purpose), marketing first.',
    returns: 'SubscriptionType[]',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'types:create': channel<SubscriptionType>()({
    input: typeFields.strict(),
    access: ADMIN_ONLY,
    summary: 'Connect a WhatsApp Business number for a purpose. The number is normalised to E.164; one type per number and purpose.',
    returns: 'SubscriptionType',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'invalid_phone', 'conflict'],
  }),
  'types:update': channel<SubscriptionType>()({
    input: typeFields.extend({ validForMonths: typeFields.shape.validForMonths.unwrap() }).partial().extend({ id: z.string().min(1), archived: z.boolean().optional() }).strict(),
    access: ADMIN_ONLY,
    summary: 'Rename, archive or correct a subscription type. Its events keep pointing at it.',
    returns: 'SubscriptionType',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'invalid_phone', 'conflict'],
  }),
};
