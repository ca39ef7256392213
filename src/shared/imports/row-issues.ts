// What can be wrong with an import row. Its own module: the renderer names every code
// (translations) without loading the row checks and their phone metadata.
export const ROW_ISSUES = [
  'missing_number', 'invalid_number', 'invalid_email', 'unknown_status', 'unknown_legal_basis',
  'legal_basis_required', 'duplicate_in_file', 'missing_name', 'cell_too_long', 'extra_cells',
  // The record could not be read as CSV (csv-scan.ts): its quote never closes, or it is
  // longer than any contact row. Reading goes on at the next line.
  'unclosed_quote', 'record_too_long',
  // The same number on rows that disagree about a status: every such row is skipped.
  'conflicting_duplicate',
  // A cell holding U+FFFD: text damaged before it reached this file.
  'garbled_text',
] as const;
export type RowIssueCode = (typeof ROW_ISSUES)[number];
// Warnings are reported but do not stop the row.
export const ROW_WARNINGS: readonly RowIssueCode[] = ['extra_cells'];

export type RowIssue = { row: number; code: RowIssueCode; column: string; value: string };
