import { z } from 'zod';
import type { SignatureCheck } from './device-channels';
import type { ConsentEvent, ConsentStatus } from '../domain';
import { historyQuery } from './consent-channels';
import { channel } from './channel';

// The compliance history viewer (SPEC 8): statistics and facets of the filtered
// history, the ledger integrity check, exports, the per-contact proof, the audit log.
// Everyone signed in may read and export; nothing here changes consent.

export const historyFilter = historyQuery.omit({ offset: true, limit: true });
export type HistoryFilterInput = z.infer<typeof historyFilter>;
// The CSV export takes the filter and, as the contacts export, the cell separator (';' is
// what Excel expects where the decimal separator is a comma, as in Poland).
export const historyCsvInput = historyFilter.extend({ delimiter: z.enum([',', ';', '\t']).default(',') });
export const historyFileExportInput = historyCsvInput.extend({ format: z.enum(['csv', 'jsonl']) });
export type HistoryFileExport = { fileName: string; path: string; rows: number };

export type TimelinePoint = { day: string; typeId: string; optIns: number; optOuts: number; other: number };
export type HistoryStats = {
  total: number;
  timeline: TimelinePoint[];
  bySource: Record<string, number>;
  byLegalBasis: Record<string, number>;
  byStatus: Record<string, number>;
};
export type HistoryFacets = { actors: Array<{ id: string; name: string }>; devices: string[] };

export const INTEGRITY_CATEGORIES = ['altered', 'removed', 'inserted', 'reordered'] as const;
export type IntegrityCategory = (typeof INTEGRITY_CATEGORIES)[number];
export type IntegrityIssue = {
  category: IntegrityCategory;
  kind: string;
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
export type ChainHead = { deviceId: string; seq: number; eventId: string; hash: string };
// A device's own signed statement of the newest event of its chain that the server holds
// (Ed25519 by the device's enrolled key; main/device/chain-heads.ts). Replicated to every device.
export type SignedChainHead = { v: 1; deviceId: string; seq: number; hash: string; at: string; sig: string };
/*
 * A chain that ends before its device's signed head says it does: events missing here.
 * 'not_yet_arrived' while sync may still bring them; 'withheld' once this device has read the
 * server's consent events to their end, in a read that began after the head arrived here (an
 * honest server holds a device's events before its head, as a head covers only events the server
 * acknowledged). Neither is ok.
 */
export type TruncatedTail = {
  deviceId: string;
  // The newest seq of the device's chain held here (0: none).
  heldUpTo: number;
  headSeq: number;
  missingFrom: number;
  missingTo: number;
  // Of the missing events, how many arrived and were kept aside by the arrival checks (Sync problems).
  keptAside: number;
  state: 'not_yet_arrived' | 'withheld';
  // When the device signed the head, and when the head arrived here.
  headAt: string;
  headArrivedAt: string;
  message: string;
};
// A signed head whose hash is not that of the event held at its seq: the device signed two
// different events for one place in its chain.
export type ChainHeadMismatch = { deviceId: string; seq: number; headHash: string; heldHash: string; message: string };
export type ChainHeadCheck = {
  // The newest verified signed head of each device known here.
  known: SignedChainHead[];
  tails: TruncatedTail[];
  mismatches: ChainHeadMismatch[];
  // Head records held that no longer verify (e.g. their device was revoked since).
  failing: number;
};
// A consent_state row that does not say what folding the ledger says ('none': no row, or no events).
export type ProjectionDifference = {
  contactId: string;
  typeId: string;
  stored: ConsentStatus | 'none';
  ledger: ConsentStatus | 'none';
  storedLastEventId: string;
  ledgerLastEventId: string;
};
export type ProjectionCheck = {
  keys: number;
  differenceCount: number;
  // The first differences found (at most 100).
  differences: ProjectionDifference[];
  // True when the differences were repaired by rebuilding the projection from the ledger.
  repaired: boolean;
};
export type IntegrityReport = {
  // False when a chain issue or a projection difference was found (even if repaired).
  ok: boolean;
  // Whether this check's audit entry was written; 'failed' when the store refused the write
  // (a full disk): the verdict stands, only its record is missing.
  auditEntry?: 'recorded' | 'failed';
  checkedAt: string;
  durationMs: number;
  events: number;
  devices: number;
  heads: ChainHead[];
  counts: Record<IntegrityCategory, number>;
  issues: IntegrityIssue[];
  truncated: boolean;
  projection: ProjectionCheck;
  // Erased contacts (GDPR Art. 17) and their events whose personal values were removed: these
  // verify (the hash covers salted digests) and are counted here, never as altered.
  // retention: other events whose message text was removed after the retention period.
  erased?: { contacts: number; events: number; retention?: number };
  // Documents received by sync and kept aside by the arrival checks (sync:quarantine lists them).
  quarantined: number;
  // Device signatures: signed, "legacy, unsigned", failing (a failing event makes ok false).
  signatures: SignatureCheck;
  // The devices' signed chain heads against the chains held here (a tail or a mismatch makes ok false).
  signedHeads?: ChainHeadCheck;
};

// Text files travel as text; binary ones (PDF) as base64, turned into a Blob by the renderer.
export type ExportFile = { fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string; rows: number };

export type ProofEventCheck = {
  eventId: string;
  contentHashOk: boolean;
  // The previous event of the same device (seq - 1) has exactly this event's prevHash.
  linkedToPrevious: boolean;
  // The next event of the same device (seq + 1), if any, links to this event's hash.
  linkedByNext: boolean | null;
};
export type ConsentProofDocument = {
  format: 'consent-desk/proof@1';
  generatedAt: string;
  generatedBy: { id: string; name: string };
  generatedOnDevice: string;
  contact: { id: string; name: string; waNumber: string; email: string };
  currentStatus: Array<{ typeId: string; typeName: string; status: ConsentStatus; lastEventId: string }>;
  events: ConsentEvent[];
  checks: ProofEventCheck[];
  allChecksPassed: boolean;
  chainHeads: ChainHead[];
  // The devices' signed heads known when the proof was made, and the chains that end before
  // their head (events missing on this device then). Absent in proofs made before heads existed.
  signedHeads?: { known: SignedChainHead[]; tails: TruncatedTail[]; deviceKeys: Array<{ deviceId: string; publicKey: string }> };
  method: string;
};
export type ConsentProof = {
  document: ConsentProofDocument;
  // sha-256 (hex) of canonicalJson(document): recompute it to see nothing was changed.
  sha256: string;
};

export type AuditEntryView = {
  id: string;
  action: string;
  actorId: string;
  actorName: string;
  details: Record<string, unknown>;
  at: string;
  deviceId: string;
};
export type AuditPageView = { entries: AuditEntryView[]; total: number; offset: number };

const contactRef = z.object({ contactId: z.string().min(1).max(128) }).strict();

export const historyChannels = {
  'history:stats': channel<HistoryStats>()({
    input: historyFilter,
    access: 'signed_in',
    summary: 'For the filtered history: the total, opt-ins and opt-outs per day and type (timeline), and counts by source, legal basis and status.',
    returns: 'HistoryStats { total, timeline: TimelinePoint[], bySource, byLegalBasis, byStatus }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'history:facets': channel<HistoryFacets>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'The actors and devices that appear in the ledger, for the history filters.',
    returns: 'HistoryFacets { actors: { id, name }[], devices: string[] }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'history:verify': channel<IntegrityReport>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary:
      "Integrity check of the whole ledger: every event's content hash and every device's hash chain, read in a worker thread on its own read-only connection (progress events, kind 'integrity'; history:cancelVerify stops it). Names each altered, removed, inserted or reordered event. Then folds every subscription again from the ledger, reports each consent_state row that differs and repairs them (audited as integrity.projection_repaired), and counts the documents sync kept aside. Last, each device's newest signed chain head against the chain held here: a chain that ends before its head is a truncated tail (not_yet_arrived, or withheld once sync has read the server to the end after the head arrived), and either makes ok false.",
    returns: 'IntegrityReport { ok, events, devices, heads, counts, issues (first 1000), truncated, projection { keys, differenceCount, differences, repaired }, quarantined, signatures { signed, legacyUnsigned, failing, problems }, erased { contacts, events, retention }, signedHeads { known, tails, mismatches, failing } }',
    errors: ['invalid_input', 'not_signed_in', 'conflict', 'cancelled'],
  }),
  'history:cancelVerify': channel<{ cancelled: boolean }>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Stop the running integrity check (it runs in a worker thread); history:verify then fails with `cancelled` and nothing is recorded or repaired.',
    returns: '{ cancelled } (false when no check was running)',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'history:exportCsv': channel<ExportFile>()({
    input: historyCsvInput,
    access: 'signed_in',
    summary: "The filtered history as CSV (UTF-8 with BOM; `delimiter` ',' (default), ';' or tab; cells that a spreadsheet would run as a formula neutralised). Up to 250,000 events.",
    returns: 'ExportFile { fileName, mimeType, encoding: "utf8", content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'export_too_large'],
  }),
  'history:exportFile': channel<HistoryFileExport>()({
    input: historyFileExportInput,
    access: 'signed_in',
    summary:
      "The filtered history of any size (no 250,000 cap) written as CSV or JSON lines (the same columns and escaping as history:exportCsv / history:exportJsonl) to the file the user chooses in main's save dialog (no window, as in tests: a new file in the data folder's `exports` folder; the renderer never names a path), slice by slice in constant memory, with progress events (kind 'export'). The rows go to a new file beside the chosen one that replaces it only when complete; history:cancelExport stops it and removes the partial file; a closed dialog is `cancelled`. One export at a time.",
    returns: 'HistoryFileExport { fileName, path, rows }',
    errors: ['invalid_input', 'not_signed_in', 'conflict', 'cancelled', 'internal'],
  }),
  'history:cancelExport': channel<{ cancelled: boolean }>()({
    input: z.object({}).strict(),
    access: 'signed_in',
    summary: 'Stop the running history:exportFile after its current slice; its partial file is removed.',
    returns: '{ cancelled } (false when no export was running)',
    errors: ['invalid_input', 'not_signed_in'],
  }),
  'history:exportJsonl': channel<ExportFile>()({
    input: historyFilter,
    access: 'signed_in',
    summary: 'The filtered history as JSON lines, one full event per line with its hash and prevHash. Up to 250,000 events.',
    returns: 'ExportFile { fileName, mimeType, encoding: "utf8", content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'export_too_large'],
  }),
  'history:proof': channel<ConsentProof>()({
    input: contactRef,
    access: 'signed_in',
    summary:
      "A contact's consent proof: every event with its hash, each event's hash and chain links checked, the chain heads, and a sha-256 over the canonical JSON of the whole document.",
    returns: 'ConsentProof { document: ConsentProofDocument, sha256 }',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'history:proofPdf': channel<ExportFile>()({
    input: contactRef,
    access: 'signed_in',
    summary: 'The same proof as a printable PDF (embedded Unicode font), with the JSON digest printed on it.',
    returns: 'ExportFile { fileName, mimeType: "application/pdf", encoding: "base64", content, rows }',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
  'audit:list': channel<AuditPageView>()({
    input: z
      .object({
        action: z.string().max(64).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    access: 'signed_in',
    summary: 'The audit log of non-consent actions (settings, keywords, types, users, imports, bulk, rules, sync, exports), newest first.',
    returns: 'AuditPage { entries: AuditEntry[], total, offset }',
    errors: ['invalid_input', 'not_signed_in'],
  }),
};
