import type { HistoryRow } from '../../shared/api/consent-channels';
import type { ExportFile, HistoryFilterInput } from '../../shared/api/history-channels';
import { csvLine } from '../../shared/csv/csv-escape';
import { AppError } from '../app-error';
import type { HistoryService } from './history-service';

// Exports of the filtered history. Built in main from the same index the screen uses,
// in slices; returned whole because the renderer saves it through a Blob. The cap
// keeps one file within what a process can hold and a spreadsheet can open.
export const MAX_EXPORT_ROWS = 250_000;
export const SLICE = 2000;

export const CSV_COLUMNS = [
  'occurredAt', 'recordedAt', 'contactId', 'contactName', 'typeId', 'typeName', 'status', 'previousStatus', 'source',
  'legalBasis', 'explanation', 'actorKind', 'actorId', 'actorName', 'evidence', 'deviceId', 'seq', 'id', 'basedOn', 'hash', 'prevHash',
] as const;

export const csvValues = (r: HistoryRow) => [
  r.occurredAt, r.recordedAt, r.contactId, r.contactName, r.typeId, r.typeName, r.status, r.previousStatus, r.source,
  r.legalBasis, r.explanation, r.actor.kind, r.actor.id, r.actor.name, JSON.stringify(r.evidence), r.deviceId, r.seq, r.id,
  r.basedOn, r.hash, r.prevHash,
];

export const stamp = (now: Date) => now.toISOString().slice(0, 19).replace(/[:T]/g, '-');

async function collect(history: HistoryService, filter: HistoryFilterInput, line: (r: HistoryRow) => string): Promise<{ lines: string[]; rows: number }> {
  const lines: string[] = [];
  // One more than the cap tells "exactly at the cap" from "over it".
  const rows = await history.eachSlice(filter, MAX_EXPORT_ROWS + 1, SLICE, async (slice) => {
    for (const r of slice) lines.push(line(r));
  });
  if (rows > MAX_EXPORT_ROWS) {
    throw new AppError('export_too_large', `More than ${MAX_EXPORT_ROWS.toLocaleString('en')} events match; narrow the date range or filters and export in parts.`);
  }
  return { lines, rows };
}

export async function exportHistoryCsv(
  history: HistoryService,
  filter: HistoryFilterInput,
  now: Date,
  delimiter: ',' | ';' | '\t' = ',',
): Promise<ExportFile> {
  const { lines, rows } = await collect(history, filter, (r) => csvLine(csvValues(r), delimiter));
  // The BOM makes Excel read UTF-8 (Polish letters); CRLF is what it writes itself.
  const content = `\uFEFF${[csvLine([...CSV_COLUMNS], delimiter), ...lines].join('\r\n')}\r\n`;
  return { fileName: `consent-history-${stamp(now)}.csv`, mimeType: 'text/csv;charset=utf-8', encoding: 'utf8', content, rows };
}

export async function exportHistoryJsonl(history: HistoryService, filter: HistoryFilterInput, now: Date): Promise<ExportFile> {
  const { lines, rows } = await collect(history, filter, (r) => JSON.stringify(r));
  const content = lines.length ? `${lines.join('\n')}\n` : '';
  return { fileName: `consent-history-${stamp(now)}.jsonl`, mimeType: 'application/x-ndjson', encoding: 'utf8', content, rows };
}
