import { z } from 'zod';
import { DEFAULT_EXPIRY_WARNING_DAYS } from '../consent/consent-expiry';
import type { RuleRun } from './automation-channels';
import type { Contact, ConsentEvent, ConsentStatus } from '../domain';
import { ADMIN_ONLY, channel } from './channel';
import type { ExportFile } from './history-channels';

// Consent lifecycle and data-subject rights (issue 22): expiry and re-permission, refused
// may-I-message checks, retention of inbound message bodies.

export type LifecycleSettings = {
  // Record every refused may-I-message check asked through the API (off by default).
  recordRefusedChecks: boolean;
  // Inbound message bodies are removed this many days after they were received.
  inboundRetentionDays: number;
};
// cleared: inbound messages whose text was removed; events and reviewItems: the records made
// from them that lost the text; legacyEvents: events written before salted digests, which keep it.
export type RetentionOutcome = { cutoff: string; cleared: number; events: number; legacyEvents: number; reviewItems: number };
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

// Everything held about one contact (GDPR Art. 15), as one JSON document.
export type AccessExportDocument = {
  format: 'consent-desk/access@1';
  generatedAt: string;
  generatedBy: { id: string; name: string };
  generatedOnDevice: string;
  contact: Contact;
  subscriptions: { typeId: string; typeName: string; status: ConsentStatus; since: string; expiresAt: string }[];
  events: ConsentEvent[];
  inboundMessages: { id: string; receivedAt: string; kind: string; from: string; body: string; outcome: string; typeId: string }[];
  reviewItems: { id: string; kind: string; state: string; summary: string; createdAt: string; resolvedAt: string; resolution: string; evidence: Record<string, unknown> }[];
  auditEntries: { id: string; at: string; action: string; actorName: string; details: Record<string, unknown> }[];
  // The last identity_key_hash the platform reported for the contact ('' when none).
  platformIdentityHash: string;
};

export const ACCESS_EXPORT_LANGUAGES = ['en', 'pl'] as const;
export type AccessExportLanguage = (typeof ACCESS_EXPORT_LANGUAGES)[number];
export const ACCESS_EXPORTERS = ['compliance_officer', 'admin'] as const;

const isoOrEmpty = z.string().max(30).refine((s) => s === '' || !Number.isNaN(Date.parse(s)), 'Give a date (YYYY-MM-DD) or leave it empty');

const contactRef = z.object({ contactId: z.string().min(1).max(128) });

export const lifecycleChannels = {
  'lifecycle:accessExport': channel<ExportFile>()({
    input: contactRef.strict(),
    access: ACCESS_EXPORTERS,
    summary:
      'Everything held about a contact (GDPR Art. 15) as one JSON file: the contact, current subscriptions, every consent event, inbound messages, review items and audit entries that mention the contact. Audited.',
    returns: 'ExportFile { fileName, mimeType: "application/json", encoding: "utf8", content: AccessExportDocument, rows }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
  'lifecycle:accessExportPdf': channel<ExportFile>()({
    input: contactRef.extend({ language: z.enum(ACCESS_EXPORT_LANGUAGES).default('en') }).strict(),
    access: ACCESS_EXPORTERS,
    summary: 'The same access export as a readable PDF in English or Polish (embedded Unicode font). Audited.',
    returns: 'ExportFile { fileName, mimeType: "application/pdf", encoding: "base64", content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found'],
  }),
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
  'lifecycle:applyRetention': channel<RetentionOutcome>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Remove the text of inbound messages older than the retention period now (it also runs by itself a few times a day): from the messages, from the consent events made from them (through their salted digests, so the ledger still verifies) and from their review items; the changes replicate. Audited.',
    returns: 'RetentionOutcome { cutoff, cleared, events, legacyEvents, reviewItems }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'lifecycle:runExpiryRules': channel<RuleRun[]>()({
    input: z.object({}).strict(),
    access: ADMIN_ONLY,
    summary: 'Run the enabled "consent expiring" rules now (they also run by themselves a few times a day). Each contact and term fires a rule once.',
    returns: 'RuleRun[]',
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
