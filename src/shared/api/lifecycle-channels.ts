import { z } from 'zod';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../consent/consent-expiry';
import { channel } from './channel';

// Consent lifecycle and data-subject rights (issue 22): expiry and re-permission.

export type RepermissionRow = {
  contactId: string;
  contactName: string;
  waNumber: string;
  typeId: string;
  typeName: string;
  // When the subscription's term began (the event that set it) and ends.
  subscribedAt: string;
  expiresAt: string;
  daysLeft: number;
  expired: boolean;
  lastEventId: string;
};

export type RepermissionList = { rows: RepermissionRow[]; expired: number; expiring: number; checkedAt: string };

export const lifecycleChannels = {
  'lifecycle:repermission': channel<RepermissionList>()({
    input: z
      .object({
        withinDays: z.number().int().min(0).max(366).default(DEFAULT_EXPIRY_WARNING_DAYS),
        typeId: z.string().max(128).default(''),
      })
      .strict(),
    access: 'signed_in',
    summary: 'Contacts to ask for consent again: subscriptions whose term ("valid for N months") has ended or ends within the given days, soonest first. Contacts opted out of all WhatsApp are left out.',
    returns: 'RepermissionList',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};
