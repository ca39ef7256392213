// What can be wrong with an import row. Its own module: the renderer names every code
// (translations) without loading the row checks and their phone metadata.
export const ROW_ISSUES = [
  'missing_number', 'invalid_number', 'invalid_email', 'unknown_status', 'unknown_legal_basis',
  'legal_basis_required', 'duplicate_in_file', 'missing_name', 'cell_too_long', 'extra_cells',
] as const;
export type RowIssueCode = (typeof ROW_ISSUES)[number];
// Warnings are reported but do not stop the row.
export const ROW_WARNINGS: readonly RowIssueCode[] = ['extra_cells'];

export type RowIssue = { row: number; code: RowIssueCode; column: string; value: string };
