import { z } from 'zod';
import { CONSENT_STATUSES, LEGAL_BASES, type ConsentStatus } from '../domain';
import { ADMIN_ONLY, channel } from './channel';
import { contactQuery } from './contacts-channels';

export const BULK_SKIP_REASONS = ['invalid_number', 'unchanged', 'own_opt_out', 'not_found'] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

// The channel-wide "opted out of all WhatsApp" flag as a bulk target.
export const ALL_WHATSAPP_TARGET = 'all_whatsapp';

export const bulkSelection = z.union([
  z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(200_000) }).strict(),
  z.object({ query: contactQuery }).strict(),
]);

export const bulkRequest = z
  .object({
    // A subscription type id, or 'all_whatsapp' for the channel flag.
    target: z.string().min(1).max(128),
    status: z.enum(CONSENT_STATUSES),
    selection: bulkSelection,
    legalBasis: z.enum(LEGAL_BASES).or(z.literal('')).default(''),
    explanation: z.string().trim().max(2000),
  })
  .strict();
export type BulkRequest = z.infer<typeof bulkRequest>;

export type BulkContactRef = { contactId: string; name: string; reason: BulkSkipReason };

export type BulkPreview = {
  bulkId: string;
  selected: number;
  change: number;
  skipped: Record<BulkSkipReason, number>;
  // The first 100 skipped contacts, so the user sees who and why.
  skippedContacts: BulkContactRef[];
};

export type BulkResult = BulkPreview & { state: 'finished' | 'cancelled'; changed: number };

export type BulkUndoResult = {
  bulkId: string;
  restored: number;
  // Contacts whose status changed again after the bulk action: left as they are.
  skipped: number;
  skippedContacts: Array<{ contactId: string; name: string }>;
};

// 'interrupted': begun and never ended (the app was killed or crashed midway): it can be
// resumed or undone. 'running': going on now in this app.
export const BULK_ACTION_STATES = ['finished', 'cancelled', 'interrupted', 'running'] as const;
export type BulkActionState = (typeof BULK_ACTION_STATES)[number];

export type BulkActionInfo = {
  bulkId: string;
  at: string;
  actorName: string;
  target: string;
  status: ConsentStatus;
  legalBasis: string;
  explanation: string;
  state: BulkActionState;
  changed: number;
  undone: boolean;
};

const bulkId = z.string().regex(/^[0-9A-Z]{26}$/, 'Not a bulk action id');

export const bulkChannels = {
  'bulk:preview': channel<BulkPreview>()({
    input: bulkRequest,
    access: ADMIN_ONLY,
    summary:
      'What a bulk status change would do to the selected (ids) or all matching (query) contacts: how many change and how many are skipped and why (invalid number, already in that state, the contact\'s own opt-out). Returns a bulkId to apply.',
    returns: 'BulkPreview',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'legal_basis_required', 'explanation_required', 'conflict'],
  }),
  'bulk:apply': channel<BulkResult>()({
    input: z.object({ bulkId }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Apply a previewed bulk change in slices (progress events, kind "bulk"); the plan is computed again from current statuses. Resolves when finished or cancelled.',
    returns: 'BulkResult',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'bulk:resume': channel<BulkResult>()({
    input: z.object({ bulkId }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Carry on with an interrupted or cancelled bulk change, as it was previewed, from current statuses: contacts it already changed are found unchanged, so nothing is recorded twice. Resolves when finished or cancelled; `changed` counts every run.',
    returns: 'BulkResult',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'bulk:cancel': channel<{ cancelled: boolean }>()({
    input: z.object({ bulkId }).strict(),
    access: ADMIN_ONLY,
    summary: 'Stop a running bulk change after its current slice; what was applied stays (and can be undone).',
    returns: '{ cancelled }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'bulk:undo': channel<BulkUndoResult>()({
    input: z.object({ bulkId, explanation: z.string().trim().max(2000).default('') }).strict(),
    access: ADMIN_ONLY,
    summary:
      'Undo a bulk change by compensating events (source bulk, evidence undoOf) that restore each contact\'s previous status, only where the bulk\'s event is still the latest; nothing is deleted.',
    returns: 'BulkUndoResult',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict'],
  }),
  'bulk:list': channel<BulkActionInfo[]>()({
    input: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    access: ADMIN_ONLY,
    summary: 'Recent bulk actions, newest first, each with its state (finished, cancelled, interrupted by a crash, running) and whether it was undone.',
    returns: 'BulkActionInfo[]',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
};
