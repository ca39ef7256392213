// What a hash-chain check can find, named once. Below both the checks (event-hash.ts,
// integrity/chain-stream.ts) and the words they use (chain-verdicts.ts), so neither imports the other.

import { INTEGRITY_CATEGORIES, type IntegrityCategory, type IntegrityIssue } from '../../shared/api/history-channels';

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

// The API's issue, with the kinds a chain check can name.
export type ChainIssue = IntegrityIssue & { kind: ChainIssueKind };

export type ChainReport = { ok: boolean; devices: number; events: number; issues: ChainIssue[] };
