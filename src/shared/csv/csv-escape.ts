// One CSV cell, safe to open in a spreadsheet. Two separate concerns:
// - quoting (RFC 4180): a cell holding the separator, a quote, CR or LF is quoted
//   and its quotes doubled;
// - formula injection (OWASP "CSV injection"): a cell starting with = + - @, a tab or
//   a CR would be run as a formula by Excel or LibreOffice, so it gets a leading
//   apostrophe, which spreadsheets show as text and do not evaluate.
// Numbers are written as numbers (a negative number is data, not a formula).
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

// The inverse, for reading a file back: a cell our export (or Excel's "text" convention)
// guarded reads as it was before, so exporting, editing and re-importing changes nothing.
const GUARDED_FORMULA = /^'[=+\-@\t\r]/;
export function unguardFormula(text: string): string {
  return GUARDED_FORMULA.test(text) ? text.slice(1) : text;
}

export function csvCell(value: string | number | boolean | null | undefined, separator = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = neutraliseFormula(value);
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>, separator = ','): string {
  return values.map((v) => csvCell(v, separator)).join(separator);
}
