import { z } from 'zod';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../consent/consent-expiry';
import { ADMIN_ONLY, channel } from './channel';

// Consent lifecycle and data-subject rights (issue 22): expiry and re-permission, refused
// may-I-message checks, retention of inbound message bodies.

export type LifecycleSettings = {
  // Record every refused may-I-message check asked through the API (off by default).
  recordRefusedChecks: boolean;
  // Inbound message bodies are removed this many days after they were received.
  inboundRetentionDays: number;
};
export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = { recordRefusedChecks: false, inboundRetentionDays: 90 };
export const MAX_RETENTION_DAYS = 3650;

export type RefusedCheckCounts = { total: number; byReason: Record<string, number>; recording: boolean };

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

const isoOrEmpty = z.string().max(30).refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'Give a date (YYYY-MM-DD) or leave it empty');

export const lifecycleChannels = {
  'lifecycle:getSettings': channel<LifecycleSettings>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Whether refused may-I-message checks are recorded, and after how many days inbound message bodies are removed.',
    returns: 'LifecycleSettings { recordRefusedChecks, inboundRetentionDays }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'lifecycle:setSettings': channel<LifecycleSettings>()({
    input: z
      .object({
        recordRefusedChecks: z.boolean().optional(),
        inboundRetentionDays: z.number().int('Whole days only').min(1, 'At least 1 day').max(MAX_RETENTION_DAYS).optional(),
      })
      .strict(),
    access: ADMIN_ONLY,
    summary: 'Change the lifecycle settings (audited).',
    returns: 'LifecycleSettings',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'lifecycle:refusedChecks': channel<RefusedCheckCounts>()({
    input: z.object({ from: isoOrEmpty.default(''), to: isoOrEmpty.default('') }).strict(),
    access: 'signed_in',
    summary: 'How many may-I-message checks were refused and recorded (optionally between two times), by reason.',
    returns: 'RefusedCheckCounts { total, byReason, recording }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
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
