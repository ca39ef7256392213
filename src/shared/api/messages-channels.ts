import { z } from 'zod';
import type { KeywordClassification } from '../consent/keyword-matcher';
import type { InboundError } from '../consent/inbound-item';
import { channel, CONSENT_WRITERS } from './channel';

export const INGEST_OUTCOMES = [
  'opted_in', 'opted_out', 'button_opt_out', 'preference_stop', 'preference_resume',
  'review', 'no_change', 'duplicate', 'unknown_number', 'unknown_contact',
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

export type IngestItemReport = { messageId: string; from: string; outcome: IngestOutcome; detail: string; contactId: string };
// What a platform signal in the input did (number or identity changed, send error 131050):
// the contact it concerned ('' when no contact has the number: nothing is made for it), the
// events it wrote (none when already applied or nothing was subscribed), and why.
export type IngestSignalReport = {
  kind: 'number_changed' | 'identity_changed' | 'identity_seen' | 'marketing_stopped';
  // The platform's message or status id.
  id: string;
  number: string;
  contactId: string;
  eventIds: string[];
  detail: string;
};
// items and errors list at most the first 1,000 of each; counts, itemCount and
// errorCount cover everything, so a large file never makes a large report.
export type IngestReport = {
  items: IngestItemReport[];
  errors: InboundError[];
  counts: Record<IngestOutcome, number>;
  itemCount: number;
  errorCount: number;
  // At most the first 1,000 too.
  signals: IngestSignalReport[];
};

export type KeywordTestResult = KeywordClassification & {
  typeId: string;
  typeName: string;
  wouldSetStatus: 'subscribed' | 'unsubscribed' | '';
  explanation: string;
  likelyStopRequest: boolean;
};

// 20 MB of webhook JSON is far beyond a day of a busy number's traffic.
const MAX_FILE_CHARS = 20_000_000;

export const messagesChannels = {
  'messages:ingest': channel<IngestReport>()({
    input: z.object({ payload: z.unknown() }).strict(),
    access: CONSENT_WRITERS,
    summary:
      'Process one Meta WhatsApp Cloud API webhook payload (or the simple form): keywords, the marketing opt-out button and platform preferences change consent; stop requests in other words go to the review queue; number and identity changes suspend marketing consent and send error 131050 is the platform’s marketing stop (`signals` of the report; the same for files and the relay inbox). Idempotent by message id; a malformed item is reported while valid items still apply.',
    returns: 'IngestReport { items, errors, counts, signals }',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'messages:ingestFile': channel<IngestReport>()({
    input: z.object({ fileName: z.string().max(260), content: z.string().max(MAX_FILE_CHARS, 'The file is larger than 20 MB') }).strict(),
    access: CONSENT_WRITERS,
    summary: 'Process a file of webhook payloads: one JSON payload, a JSON array of them, JSON lines, or the simple CSV form (messageId,from,to,timestamp,text). Read in slices; recorded with the signed-in user (event evidence importedById/importedByName) and in the audit log (messages.ingest_file). The report lists the first 1,000 items and errors; counts cover all.',
    returns: 'IngestReport',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'messages:reprocessKept': channel<IngestReport>()({
    input: z.object({}).strict(),
    access: CONSENT_WRITERS,
    summary: 'Process again the kept messages whose business number had no subscription type (outcome unknown_number), e.g. after the number was set up. Idempotent.',
    returns: 'IngestReport',
    errors: ['invalid_input', 'not_signed_in', 'forbidden'],
  }),
  'keywords:test': channel<KeywordTestResult>()({
    input: z.object({ message: z.string().max(20_000), typeId: z.string().max(128).default('') }).strict(),
    access: 'signed_in',
    summary: 'What would this message do if it arrived at the number of the given type? Changes nothing.',
    returns: 'KeywordTestResult',
    errors: ['invalid_input', 'not_signed_in', 'not_found'],
  }),
};
