import { z } from 'zod';
import { CONSENT_STATUSES, type ConsentStatus, type Contact } from '../domain';
import { isForbiddenKey } from '../forbidden-keys';
import { channel, CONSENT_WRITERS } from './channel';

const propertyMap = z
  .record(z.string().trim().min(1).max(64).refine((k) => !isForbiddenKey(k), 'This name cannot be used for a property'), z.string().max(2000))
  .refine((m) => Object.keys(m).length <= 100, 'At most 100 properties');

export const contactFields = z.object({
  name: z.string().trim().min(1, 'Name is required').max(200),
  email: z.union([z.literal(''), z.string().trim().email('Not a valid e-mail address').max(254)]),
  phoneInput: z.string().max(64),
  properties: propertyMap,
  tags: z.array(z.string().trim().min(1).max(64)).max(50),
});

export const CONTACT_STATUS_FILTERS = [...CONSENT_STATUSES, 'opted_out_all'] as const;
export const CONTACT_SORTS = ['name', 'createdAt', 'updatedAt'] as const;

export const contactQuery = z
  .object({
    search: z.string().max(200).default(''),
    typeId: z.string().max(128).default(''),
    status: z.enum(CONTACT_STATUS_FILTERS).or(z.literal('')).default(''),
    sort: z.enum(CONTACT_SORTS).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();
export type ContactQuery = z.infer<typeof contactQuery>;

export type ContactRow = Contact & {
  statuses: Record<string, ConsentStatus>;
  optedOutAll: boolean;
};

export type ContactPage = { rows: ContactRow[]; total: number; offset: number };

export const contactsChannels = {
  'contacts:list': channel<ContactPage>()({
    input: contactQuery.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    access: 'signed_in',
    summary: 'A page of contacts matching a search (name, phone, e-mail) and status filter, with their statuses per type.',
    returns: 'ContactPage { rows: ContactRow[]; total; offset }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'contacts:matchingIds': channel<string[]>()({
    input: contactQuery,
    access: 'signed_in',
    summary: 'Ids of every contact matching a query ("select all matching").',
    returns: 'string[]',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'contacts:get': channel<ContactRow>()({
    input: z.object({ id: z.string().min(1) }).strict(),
    access: 'signed_in',
    summary: 'One contact with its statuses.',
    returns: 'ContactRow (Contact + statuses by type + optedOutAll)',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'contacts:create': channel<ContactRow>()({
    input: contactFields.partial({ email: true, phoneInput: true, properties: true, tags: true }).strict(),
    access: CONSENT_WRITERS,
    summary: 'Create a contact. The WhatsApp number is normalised to E.164; an invalid one is kept but marked invalid.',
    returns: 'ContactRow',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'conflict'],
  }),
  'contacts:update': channel<ContactRow>()({
    input: contactFields.partial().extend({ id: z.string().min(1) }).strict(),
    access: CONSENT_WRITERS,
    summary: 'Edit a contact\'s fields. Consent is never changed here.',
    returns: 'ContactRow',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
};
