// Writing CSV that opens cleanly in Excel and cannot run as a formula there (the cell
// rules live in shared/csv/csv-escape).
import { csvLine } from '../csv/csv-escape';

export type CsvWriteOptions = { delimiter: ',' | ';' | '\t'; bom: boolean };

export function toCsv(header: readonly string[], rows: Iterable<readonly string[]>, options: CsvWriteOptions): string {
  const lines = [csvLine(header, options.delimiter)];
  for (const r of rows) lines.push(csvLine(r, options.delimiter));
  // CRLF: what Excel writes and expects.
  return `${options.bom ? '\ufeff' : ''}${lines.join('\r\n')}\r\n`;
}
