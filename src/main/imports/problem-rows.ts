import { ROW_WARNINGS, type RowIssue, type RowIssueCode } from '../../shared/imports/row-issues';
import { isBlankRow } from '../../shared/imports/row-validate';
import { PROBLEM_ROW_COLUMNS } from '../../shared/imports/import-mapping';
import { toCsv, type CsvWriteOptions } from '../../shared/imports/csv-write';
import { csvRecords, type CsvSource } from './csv-row-stream';

// The rows an import skipped, as a file to fix in a spreadsheet and import again: each
// row's own cells, as they are in the file, then its row number and what is wrong with
// it. The import maps the two added columns to nothing, so the fixed file imports as is.

export type IssueLabels = Partial<Record<RowIssueCode, string>>;

// Rows with a problem that stops them; warnings alone do not (those rows were imported).
export function collectSkippedRows(): { add(issues: readonly RowIssue[]): void; rows: Map<number, RowIssue[]> } {
  const rows = new Map<number, RowIssue[]>();
  return {
    rows,
    add(issues) {
      for (const i of issues) {
        if (ROW_WARNINGS.includes(i.code)) continue;
        const list = rows.get(i.row);
        if (list) list.push(i);
        else rows.set(i.row, [i]);
      }
    },
  };
}

const describe = (issues: readonly RowIssue[], labels: IssueLabels) =>
  issues.map((i) => `${i.column ? `${i.column}: ` : ''}${labels[i.code] ?? i.code.replace(/_/g, ' ')}${i.value ? ` (${i.value})` : ''}`).join('; ');

export async function problemRowsCsv(
  source: CsvSource,
  file: { hasHeader: boolean; headers: readonly string[] },
  skipped: ReadonlyMap<number, readonly RowIssue[]>,
  labels: IssueLabels,
  options: CsvWriteOptions,
): Promise<{ content: string; rows: number }> {
  const lines: string[][] = [];
  let width = file.headers.length;
  let headerSeen = !file.hasHeader;
  for await (const { row, cells } of csvRecords(source)) {
    // The header is the first record with any text, as the import read it.
    if (!headerSeen) {
      headerSeen = !isBlankRow(cells);
      continue;
    }
    const issues = skipped.get(row);
    if (!issues) continue;
    width = Math.max(width, cells.length);
    lines.push([...cells, String(row), describe(issues, labels)]);
  }
  // Short rows are padded so the two added columns line up under their header.
  for (const line of lines) {
    const own = line.length - 2;
    if (own < width) line.splice(own, 0, ...new Array<string>(width - own).fill(''));
  }
  const rows = lines.length;
  // A file without a header row gets none either: its columns are mapped by their cells.
  const header = file.hasHeader ? [...file.headers, ...new Array<string>(width - file.headers.length).fill(''), ...PROBLEM_ROW_COLUMNS] : lines.shift();
  return { content: header ? toCsv(header, lines, options) : options.bom ? '\ufeff' : '', rows };
}
