// Reads an imported file of inbound messages. Accepted, detected from the content:
//   - one webhook payload (JSON object),
//   - a JSON array whose elements are webhook payloads or simple messages,
//   - JSON lines: one webhook payload or simple message per line,
//   - CSV of simple messages with a header row (comma, semicolon or tab separated).
//
// The simple form, for systems that are not the Cloud API:
//   { "messageId": "abc-1", "from": "+48600100200", "to": "+48221234567",
//     "timestamp": "2025-03-01T10:15:00Z", "text": "STOP", "name": "Jan" }
// `from` and `to` are phone numbers (E.164, spaces allowed); `timestamp` is ISO 8601
// with a zone or Unix seconds; `name` is optional. CSV uses the same column names.
import { z } from 'zod';
import { childPath, issueToError, toE164, unixSecondsToIso, type InboundItem, type InboundParseResult } from './inbound-item';
import { isWebhookPayload, parseWebhookPayload } from './webhook-parser';

export const INBOUND_FILE_FORMATS = ['json', 'json_array', 'json_lines', 'csv', 'empty'] as const;
export type InboundFileFormat = (typeof INBOUND_FILE_FORMATS)[number];
export type InboundFileResult = InboundParseResult & { format: InboundFileFormat };

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const simpleSchema = z.object({
  messageId: z.string().trim().min(1, { error: 'must not be empty' }),
  from: z.string(),
  to: z.string(),
  timestamp: z.union([z.string(), z.number()], { error: 'must be ISO 8601 or Unix seconds' }),
  text: z.string(),
  name: z.string().optional(),
});

function simpleTimestamp(value: string | number): string | undefined {
  if (typeof value === 'string' && ISO_WITH_ZONE.test(value.trim())) {
    const at = Date.parse(value.trim());
    return Number.isNaN(at) ? undefined : new Date(at).toISOString();
  }
  return unixSecondsToIso(value);
}

export function parseSimpleMessage(value: unknown, path: string): InboundParseResult {
  const result: InboundParseResult = { items: [], errors: [] };
  const parsed = simpleSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) result.errors.push(issueToError(path, issue));
    return result;
  }
  const message = parsed.data;
  const from = toE164(message.from);
  const to = toE164(message.to);
  const timestamp = simpleTimestamp(message.timestamp);
  if (from === undefined) result.errors.push({ path: childPath(path, 'from'), message: `"${message.from}" is not a phone number` });
  if (to === undefined) result.errors.push({ path: childPath(path, 'to'), message: `"${message.to}" is not a phone number` });
  if (timestamp === undefined) {
    result.errors.push({
      path: childPath(path, 'timestamp'),
      message: `"${message.timestamp}" is neither ISO 8601 with a time zone nor Unix seconds`,
    });
  }
  if (from === undefined || to === undefined || timestamp === undefined) return result;
  const item: InboundItem = {
    kind: 'text',
    messageId: message.messageId,
    from,
    businessDisplayNumber: to,
    phoneNumberId: '',
    profileName: message.name ?? '',
    timestamp,
    messageType: 'text',
    body: message.text,
  };
  result.items.push(item);
  return result;
}

function parseOne(value: unknown, path: string): InboundParseResult {
  return isWebhookPayload(value) ? parseWebhookPayload(value, path) : parseSimpleMessage(value, path);
}

function merge(into: InboundParseResult, from: InboundParseResult): void {
  into.items.push(...from.items);
  into.errors.push(...from.errors);
  if (from.signals?.length) (into.signals ??= []).push(...from.signals);
}

function parseJsonLines(text: string): InboundFileResult {
  const result: InboundFileResult = { items: [], errors: [], format: 'json_lines' };
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const path = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      result.errors.push({ path, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    merge(result, parseOne(value, path));
  });
  return result;
}

// RFC 4180 records: quoted fields may hold the delimiter, quotes ("") and newlines.
// Reads at most `maxRecords` records from `from`; `next` is where the next one starts
// (a record boundary, so reading can resume there), text.length at the end.
export function readCsvRecords(text: string, delimiter: string, from = 0, maxRecords = Number.POSITIVE_INFINITY): { records: string[][]; next: number } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = from;
  for (; i < text.length && records.length < maxRecords; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (i >= text.length && (field !== '' || record.length > 0)) {
    record.push(field);
    records.push(record);
  }
  return { records: records.filter((r) => !(r.length === 1 && r[0]?.trim() === '')), next: Math.min(i, text.length) };
}

export function parseCsvRecords(text: string, delimiter: string): string[][] {
  return readCsvRecords(text, delimiter).records;
}

const CSV_COLUMNS = ['messageId', 'from', 'to', 'timestamp', 'text', 'name'] as const;
const REQUIRED_CSV_COLUMNS = ['messageId', 'from', 'to', 'timestamp', 'text'] as const;

type CsvLayout = { delimiter: string; columns: Map<string, number>; bodyStart: number };

function csvLayout(text: string, result: InboundFileResult): CsvLayout | undefined {
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) => (headerLine.split(d).length > headerLine.split(best).length ? d : best));
  const { records, next } = readCsvRecords(text, delimiter, 0, 1);
  const columns = new Map<string, number>();
  (records[0] ?? []).forEach((name, index) => {
    const known = CSV_COLUMNS.find((c) => c.toLowerCase() === name.trim().toLowerCase());
    if (known) columns.set(known, index);
  });
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    result.errors.push({
      path: 'line 1',
      message: `not a recognised file: expected JSON, JSON lines, or CSV with the columns ${REQUIRED_CSV_COLUMNS.join(', ')} (missing ${missing.join(', ')})`,
    });
    return undefined;
  }
  return { delimiter, columns, bodyStart: next };
}

function csvRow(row: string[], columns: Map<string, number>, rowNumber: number): InboundParseResult {
  const value: Record<string, string> = {};
  for (const [column, at] of columns) {
    const cell = row[at];
    if (cell !== undefined) value[column] = column === 'text' ? cell : cell.trim();
  }
  return parseSimpleMessage(value, `row ${rowNumber}`);
}

function parseCsv(text: string): InboundFileResult {
  const result: InboundFileResult = { items: [], errors: [], format: 'csv' };
  const layout = csvLayout(text, result);
  if (!layout) return result;
  readCsvRecords(text, layout.delimiter, layout.bodyStart).records.forEach((row, index) => merge(result, csvRow(row, layout.columns, index + 2)));
  return result;
}

export function parseInboundFile(content: string): InboundFileResult {
  const text = content.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '') return { items: [], errors: [{ path: '(file)', message: 'the file is empty' }], format: 'empty' };
  if (start.startsWith('[') || start.startsWith('{')) {
    let whole: unknown;
    let parsedWhole = true;
    try {
      whole = JSON.parse(text);
    } catch {
      parsedWhole = false;
    }
    if (parsedWhole && Array.isArray(whole)) {
      const result: InboundFileResult = { items: [], errors: [], format: 'json_array' };
      whole.forEach((value: unknown, index) => merge(result, parseOne(value, `[${index}]`)));
      return result;
    }
    if (parsedWhole) return { ...parseOne(whole, ''), format: 'json' };
    return parseJsonLines(text);
  }
  return parseCsv(text);
}

// The same formats, read in slices for large files: between slices the caller's
// `pause` runs (main yields to its event loop there), so no single step holds the
// thread long. Only the first `errorLimit` errors are kept; errorCount counts all.
// A slice ends after `sliceLines` lines or `sliceMs` milliseconds, whichever comes first.
export type SlicedReadOptions = { pause: () => Promise<void>; sliceLines?: number; sliceMs?: number; errorLimit?: number };

export async function parseInboundFileInSlices(content: string, options: SlicedReadOptions): Promise<InboundFileResult> {
  const text = content.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const isJsonLines = (start.startsWith('{') || start.startsWith('[')) && !wholeJson(text);
  const limit = options.errorLimit ?? Number.POSITIVE_INFINITY;
  const isCsv = start !== '' && !start.startsWith('{') && !start.startsWith('[');
  if (isCsv) return parseCsvInSlices(text, options, limit);
  if (!isJsonLines) return capErrors(parseInboundFile(text), options.errorLimit);
  const result: InboundFileResult = { items: [], errors: [], format: 'json_lines', errorCount: 0 };
  const sliceLines = options.sliceLines ?? 2000;
  const sliceMs = options.sliceMs ?? 20;
  let lineStart = 0;
  let lineNumber = 0;
  while (lineStart <= text.length) {
    const sliceEnd = Date.now() + sliceMs;
    for (let n = 0; n < sliceLines && lineStart <= text.length && (n % 32 !== 31 || Date.now() < sliceEnd); n++) {
      const end = text.indexOf('\n', lineStart);
      const lineEnd = end < 0 ? text.length : end;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      lineNumber += 1;
      lineStart = lineEnd + 1;
      if (line.trim() === '') continue;
      const one = parseJsonLines(line);
      result.items.push(...one.items);
      if (one.signals?.length) (result.signals ??= []).push(...one.signals);
      for (const error of one.errors) {
        result.errorCount = (result.errorCount ?? 0) + 1;
        if (result.errors.length < limit) result.errors.push({ ...error, path: error.path.replace(/^line 1\b/, `line ${lineNumber}`) });
      }
    }
    await options.pause();
  }
  return result;
}

async function parseCsvInSlices(text: string, options: SlicedReadOptions, limit: number): Promise<InboundFileResult> {
  const result: InboundFileResult = { items: [], errors: [], format: 'csv', errorCount: 0 };
  const layout = csvLayout(text, result);
  if (!layout) return { ...result, errorCount: result.errors.length };
  let position = layout.bodyStart;
  let rowNumber = 1;
  while (position < text.length) {
    const { records, next } = readCsvRecords(text, layout.delimiter, position, options.sliceLines ?? 500);
    position = next;
    for (const row of records) {
      rowNumber += 1;
      const one = csvRow(row, layout.columns, rowNumber);
      result.items.push(...one.items);
      for (const error of one.errors) {
        result.errorCount = (result.errorCount ?? 0) + 1;
        if (result.errors.length < limit) result.errors.push(error);
      }
    }
    await options.pause();
  }
  return result;
}

// Does the text parse as one JSON document? Only tried when it ends like one, so a
// file of JSON lines is not parsed whole just to fail.
function wholeJson(text: string): boolean {
  const end = text.trimEnd();
  const first = text.trimStart()[0];
  if (!((first === '{' && end.endsWith('}')) || (first === '[' && end.endsWith(']')))) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function capErrors(result: InboundFileResult, limit = Number.POSITIVE_INFINITY): InboundFileResult {
  return result.errors.length <= limit ? result : { ...result, errors: result.errors.slice(0, limit), errorCount: result.errors.length };
}
