import { z } from 'zod';
import type { ConsentEvent } from '../domain';
import { channel } from './channel';

// The review queue (SPEC 2 and 9): items a person decides. Resolving only ever moves
// toward opt-out (confirming a stop request unsubscribes; the rest records no consent
// event), so compliance officers may resolve as well as admins.
export const REVIEW_DECISIONS = ['confirm_stop', 'keep_opt_out', 'dismiss'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REVIEW_RESOLVERS = ['compliance_officer', 'admin'] as const;

export type ReviewItemView = {
  id: string;
  kind: string;
  contactId: string;
  contactName: string;
  typeId: string;
  typeName: string;
  state: string;
  summary: string;
  evidence: Record<string, unknown>;
  // For a concurrent change: the overridden change and the contact's own opt-out.
  events: ConsentEvent[];
  createdAt: string;
  resolvedAt: string;
  resolvedBy: string;
  resolution: string;
  resolutionDetail: { decision: ReviewDecision; reason: string; eventIds: string[] } | null;
};
export type ReviewPage = { items: ReviewItemView[]; total: number; open: number; offset: number };

export const reviewListQuery = z
  .object({
    state: z.enum(['open', 'resolved', 'all']).default('open'),
    kind: z.enum(['stop_request', 'concurrent_change']).or(z.literal('')).default(''),
    contactId: z.string().max(128).default(''),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ReviewListQuery = z.infer<typeof reviewListQuery>;

export const reviewChannels = {
  'review:list': channel<ReviewPage>()({
    input: reviewListQuery,
    access: 'signed_in',
    summary: 'Review items, newest first, filtered by state (open, resolved, all), kind and contact, each with its evidence (message text, the two events of a conflict).',
    returns: 'ReviewPage { items: ReviewItemView[], total, open, offset }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'review:resolve': channel<ReviewItemView>()({
    input: z
      .object({ id: z.string().min(1).max(300), decision: z.enum(REVIEW_DECISIONS), reason: z.string().max(2000).default('') })
      .strict(),
    access: REVIEW_RESOLVERS,
    summary:
      "Resolve an open item. confirm_stop (stop requests) unsubscribes the contact from the number's types, source 'review', the reviewer as actor; keep_opt_out (concurrent changes) closes it as it stands; dismiss needs a reason and records no consent event.",
    returns: 'ReviewItemView (resolved)',
    errors: ['invalid_input', 'not_signed_in', 'forbidden', 'not_found', 'conflict', 'explanation_required'],
  }),
};
