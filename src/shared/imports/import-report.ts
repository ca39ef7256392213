// What the import wizard is told at each step. Shared by main (which computes it) and
// the renderer (which shows it).
import type { ConsentStatus } from '../domain';
import type { HeadFormat } from './analyze-head';
import type { CsvEncoding } from './csv-detect';
import type { RowIssue, RowIssueCode } from './row-issues';

// 'already_imported': this row of this same file was applied before and the status has
// changed since (by hand, by the contact): the later change is kept, as the import would keep it.
export const STATUS_OUTCOMES = ['change', 'unchanged', 'own_opt_out', 'needs_confirmation', 'already_imported'] as const;
export type StatusOutcome = (typeof STATUS_OUTCOMES)[number];

export type RowDiff = {
  row: number;
  contactId: string;
  name: string;
  waNumber: string;
  contact: 'create' | 'update' | 'same';
  fields: string[];
  statuses: Array<{ typeId: string; from: ConsentStatus; to: ConsentStatus; outcome: StatusOutcome }>;
};

export type PassCounts = {
  rows: number;
  valid: number;
  invalid: number;
  blank: number;
  issues: Partial<Record<RowIssueCode, number>>;
  contacts: { create: number; update: number; same: number };
  statuses: Record<StatusOutcome, number>;
};

export type ImportAnalysis = {
  jobId: string;
  fileName: string;
  size: number;
  fileHash: string;
  format: HeadFormat;
  detected: HeadFormat;
  headers: string[];
  columnCount: number;
  sample: Array<{ row: number; cells: string[] }>;
  // The remembered mapping for this header layout when there is one, else a guess.
  mapping: string[];
  remembered: boolean;
  // The first 64 KB read as one encoding but a later part of the file did not: the whole
  // file is read in the other (null when the first guess held).
  encodingChange: { from: CsvEncoding; to: CsvEncoding; atByte: number } | null;
};

export type DryRunReport = {
  jobId: string;
  importId: string;
  counts: PassCounts;
  // The first rows with problems and the first rows that change something (capped).
  issues: RowIssue[];
  diffs: RowDiff[];
  // Rows that would resubscribe a contact who opted out themselves: applied only if confirmed.
  needsConfirmation: Array<{ row: number; name: string; typeId: string }>;
};

export const IMPORT_JOB_STATES = ['uploading', 'ready', 'applying', 'finished', 'cancelled', 'failed'] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

export type ImportSummary = {
  jobId: string;
  importId: string;
  state: ImportJobState;
  counts: PassCounts;
  eventsRecorded: number;
  contactsCreated: number;
  contactsUpdated: number;
  issues: RowIssue[];
};

export type ImportJobInfo = {
  jobId: string;
  fileName: string;
  state: ImportJobState;
  // Unfinished and not running in this process (the app stopped or it was cancelled).
  resumable: boolean;
  nextRow: number;
  totalRows: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
};

// A finished (or cancelled) import, for the list of recent imports.
export type ImportRecord = {
  jobId: string;
  fileName: string;
  state: ImportJobState;
  at: string;
  byName: string;
  rows: number;
  skipped: number;
  eventsRecorded: number;
  contactsCreated: number;
  contactsUpdated: number;
  // Set once its consent changes were undone.
  undone: { at: string; byName: string; restored: number; skipped: number } | null;
};

export type ImportUndoResult = {
  jobId: string;
  restored: number;
  // Statuses that changed again after the import: left as they are.
  skipped: number;
  skippedContacts: Array<{ contactId: string; name: string }>;
};
