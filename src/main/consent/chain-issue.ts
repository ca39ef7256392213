// What a hash-chain check can find, named once. Below both the checks (event-hash.ts,
// integrity/chain-stream.ts) and the words they use (chain-verdicts.ts), so neither imports the other.

import { INTEGRITY_CATEGORIES, type IntegrityCategory } from '../../shared/api/history-channels';

// The categories are the API's: a report crosses to the renderer as it is.
export const CHAIN_ISSUE_CATEGORIES = INTEGRITY_CATEGORIES;
export type ChainIssueCategory = IntegrityCategory;

export const CHAIN_ISSUE_KINDS = [
  'hash_mismatch',
  'seq_gap',
  'duplicate_seq',
  'invalid_seq',
  'prev_hash_unknown',
  'prev_hash_points_elsewhere',
] as const;
export type ChainIssueKind = (typeof CHAIN_ISSUE_KINDS)[number];

export type ChainIssue = {
  category: ChainIssueCategory;
  kind: ChainIssueKind;
  deviceId: string;
  // The event the issue is found on ('' for a gap before a device's first event).
  eventId: string;
  seq: number;
  // The event it should link to or collides with, when there is one.
  relatedEventId?: string;
  // For seq gaps: the missing range, inclusive.
  missingFrom?: number;
  missingTo?: number;
  message: string;
};

export type ChainReport = { ok: boolean; devices: number; events: number; issues: ChainIssue[] };
