import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { csvLine } from '../../shared/csv/csv-escape';
import type { HistoryFilterInput } from '../../shared/api/history-channels';
import { AppError } from '../app-error';
import { CSV_COLUMNS, csvValues, SLICE, stamp } from './history-export';
import type { HistoryService } from './history-service';

/*
 * History exports of any size written straight to a file: slice by slice from the index and
 * the store, each slice's lines handed to the file stream and the next slice read only once
 * the stream has taken them (backpressure), so memory stays that of one slice whatever the
 * count. The same columns and escaping as the in-memory exports (history-export.ts). A
 * cancelled or failed export leaves no partial file behind.
 */
export type ExportFormat = 'csv' | 'jsonl';

export type StreamExportOptions = {
  delimiter?: ',' | ';' | '\t';
  onProgress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
};

export const exportFileName = (format: ExportFormat, now: Date) => `consent-history-${stamp(now)}.${format}`;

export async function writeHistoryExport(
  history: HistoryService,
  filter: HistoryFilterInput,
  format: ExportFormat,
  path: string,
  options: StreamExportOptions = {},
): Promise<{ rows: number }> {
  const delimiter = options.delimiter ?? ',';
  const out = createWriteStream(path, { flags: 'wx' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    const total = (await history.stats(filter)).total;
    options.onProgress?.(0, total);
    // The BOM makes Excel read UTF-8 (Polish letters); CRLF is what it writes itself.
    if (format === 'csv') await write(`\uFEFF${csvLine([...CSV_COLUMNS], delimiter)}\r\n`);
    let done = 0;
    const rows = await history.eachSlice(filter, Number.MAX_SAFE_INTEGER, SLICE, async (slice) => {
      if (options.cancelled?.()) throw new AppError('cancelled', 'The export was cancelled; no file was kept.');
      const text = format === 'csv' ? slice.map((r) => `${csvLine(csvValues(r), delimiter)}\r\n`).join('') : slice.map((r) => `${JSON.stringify(r)}\n`).join('');
      await write(text);
      done += slice.length;
      options.onProgress?.(done, total);
    });
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    return { rows };
  } catch (error) {
    out.destroy();
    await rm(path, { force: true });
    throw error;
  }
}
