import { z } from 'zod';
import type { ConsentStatus, Purpose } from '../domain';
import { channel } from './channel';

export type OverviewTypeCounts = {
  typeId: string;
  typeName: string;
  purpose: Purpose;
  businessNumber: string;
  businessName: string;
  counts: Record<ConsentStatus, number>;
};

// Opt-ins and opt-outs of one week (starting Monday, UTC) or one calendar month.
export type OverviewTrendBucket = { start: string; optIns: number; optOuts: number };

export type ComplianceOverview = {
  generatedAt: string;
  contacts: number;
  optedOutAll: number;
  // One entry per subscription type in use (archived types left out), grouped by number in the UI.
  types: OverviewTypeCounts[];
  trend: { weeks: OverviewTrendBucket[]; months: OverviewTrendBucket[] };
  review: { open: number; oldestOpenAt: string };
  lastIntegrityCheck: { at: string; ok: boolean; events: number; by: string } | null;
};

export const overviewChannels = {
  'overview:get': channel<ComplianceOverview>()({
    input: z.object({ weeks: z.number().int().min(1).max(104).default(12), months: z.number().int().min(1).max(36).default(12) }).strict(),
    access: 'signed_in',
    summary:
      'The compliance overview: contacts by current status per subscription type and business number (from the status index, no ledger scan), opt-ins and opt-outs per week and per month (from the history index), the open review backlog and the last integrity check.',
    returns: 'ComplianceOverview { generatedAt, contacts, optedOutAll, types, trend: { weeks, months }, review: { open, oldestOpenAt }, lastIntegrityCheck }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};
