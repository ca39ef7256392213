// One CSV row, read against a mapping: either a plan of what it says, or the reasons it
// cannot be imported. Rows are independent except for duplicates, which the caller
// tracks across the file (`DuplicateIndex`).
import type { ConsentStatus, LegalBasis } from '../domain';
import { unguardFormula } from '../csv/csv-escape';
import { checkPhone } from '../phone';
import { cleanCell, detach, isEmail, readLegalBasis, readStatus, readTags } from './csv-values';
import { parseTarget, type ImportMapping, type ParsedTarget } from './import-mapping';
import { ROW_WARNINGS, type RowIssue, type RowIssueCode } from './row-issues';

// `column` and `cell` say where the status came from, for a problem found only once the
// contact's current status is known (a subscription without a legal basis; see planSlice).
export type StatusChange = { typeId: string; status: ConsentStatus; legalBasis: LegalBasis | ''; explanation: string; column: string; cell: string };

export type RowPlan = {
  row: number;
  name: string;
  email: string | null;
  phoneInput: string;
  waNumber: string;
  properties: Record<string, string>;
  tags: string[] | null;
  statuses: StatusChange[];
};

export type CompiledMapping = {
  targets: ParsedTarget[];
  headers: string[];
  defaultLegalBasis: LegalBasis | '';
  defaultExplanation: string;
  // Short values seen before (a city, a segment, a date), kept once for the whole file:
  // every contact of a 100,000-row import otherwise holds its own copy of "Kraków".
  shared: Map<string, string>;
  // How many cells a row has before the rest are "extra": the header's width, or (without
  // a header) the first data row's, set by the reader when it meets that row.
  width: number;
};

// Numbers seen so far (with the first row of each) and, from a scan of the whole file
// made before any row is applied, the numbers whose rows disagree about a status.
// Those rows are all skipped: neither the first nor the last row may settle a consent
// conflict, least of all toward "subscribed".
export type DuplicateIndex = { first: Map<string, number>; conflicts: ReadonlyMap<string, readonly number[]> };

export const compileMapping = (mapping: ImportMapping, headers: readonly string[]): CompiledMapping => ({
  targets: mapping.columns.map(parseTarget),
  headers: [...headers],
  defaultLegalBasis: mapping.defaultLegalBasis,
  defaultExplanation: mapping.defaultExplanation,
  shared: new Map(),
  width: headers.length,
});

const SHARED_MAX_LENGTH = 40;
const SHARED_MAX_VALUES = 5000;

// A kept cell value: one copy for repeated short values, else a copy detached from the file's text.
function keep(m: CompiledMapping, text: string): string {
  if (text.length > SHARED_MAX_LENGTH) return detach(text);
  const known = m.shared.get(text);
  if (known !== undefined) return known;
  const own = detach(text);
  if (m.shared.size < SHARED_MAX_VALUES) m.shared.set(own, own);
  return own;
}

const MAX_CELL = 2000;
const MAX_NAME = 200;

export type RowOutcome = { plan: RowPlan | null; issues: RowIssue[] };

export function validateRow(
  row: number,
  cells: readonly string[],
  m: CompiledMapping,
  defaultCountry: string,
  duplicates: DuplicateIndex,
): RowOutcome {
  const issues: RowIssue[] = [];
  const columnName = (col: number) => m.headers[col] ?? `#${col + 1}`;
  const issue = (code: RowIssueCode, col: number, value: string) =>
    issues.push({ row, code, column: columnName(col), value: detach(value.slice(0, 120)) });
  const plan: RowPlan = { row, name: '', email: null, phoneInput: '', waNumber: '', properties: {}, tags: null, statuses: [] };
  const statusCols: Array<[number, string, ConsentStatus, string]> = [];
  const basisByType = new Map<string, [LegalBasis, number]>();
  const explanationByType = new Map<string, string>();
  // A name given in parts (first name, surname columns) is joined in that order.
  let firstName = '';
  let lastName = '';

  for (let col = m.width; col < cells.length; col++) {
    if ((cells[col] ?? '').trim()) {
      issue('extra_cells', col, cells[col] ?? '');
      break;
    }
  }
  m.targets.forEach((t, col) => {
    const raw = cells[col] ?? '';
    if (t.kind === 'ignore') return;
    const text = unguardFormula(cleanCell(raw));
    if (text.length > (t.kind === 'name' ? MAX_NAME : MAX_CELL)) {
      issue('cell_too_long', col, raw);
      return;
    }
    if (text.includes('\uFFFD')) {
      issue('garbled_text', col, raw);
      return;
    }
    switch (t.kind) {
      case 'name':
        plan.name = detach(text);
        return;
      case 'firstName':
        firstName = text;
        return;
      case 'lastName':
        lastName = text;
        return;
      case 'email':
        if (text && !isEmail(text)) issue('invalid_email', col, raw);
        plan.email = detach(text);
        return;
      case 'phone': {
        plan.phoneInput = detach(text);
        if (!text) return void issue('missing_number', col, raw);
        const check = checkPhone(text, defaultCountry);
        if (!check.valid) return void issue('invalid_number', col, raw);
        plan.waNumber = check.e164;
        const conflict = duplicates.conflicts.get(check.e164);
        if (conflict) return void issue('conflicting_duplicate', col, `${raw} (rows ${conflict.join(', ')})`);
        const first = duplicates.first.get(check.e164);
        if (first !== undefined && first !== row) issue('duplicate_in_file', col, `${raw} (row ${first})`);
        else duplicates.first.set(check.e164, row);
        return;
      }
      case 'tags':
        plan.tags = readTags(text).map((tag) => keep(m, tag));
        return;
      case 'property':
        if (text) plan.properties[t.name] = keep(m, text);
        return;
      case 'status': {
        const read = readStatus(text);
        if (read.kind === 'unknown') issue('unknown_status', col, raw);
        if (read.kind === 'value') statusCols.push([col, t.typeId, read.value, keep(m, text)]);
        return;
      }
      case 'legalBasis': {
        const read = readLegalBasis(text);
        if (read.kind === 'unknown') issue('unknown_legal_basis', col, raw);
        if (read.kind === 'value') basisByType.set(t.typeId, [read.value, col]);
        return;
      }
      case 'explanation':
        if (text) explanationByType.set(t.typeId, keep(m, text));
        return;
    }
  });

  if (firstName || lastName) {
    const joined = [firstName, plan.name, lastName].filter(Boolean).join(' ');
    if (joined.length > MAX_NAME) issue('cell_too_long', m.targets.findIndex((t) => t.kind === 'lastName' || t.kind === 'firstName'), joined);
    else plan.name = detach(joined);
  }
  // A subscription without a legal basis is not refused here: a row that only repeats a
  // contact's current status records nothing and needs none (re-importing an export).
  for (const [col, typeId, status, cell] of statusCols) {
    const legalBasis = basisByType.get(typeId)?.[0] ?? basisByType.get('')?.[0] ?? m.defaultLegalBasis;
    const explanation = explanationByType.get(typeId) ?? explanationByType.get('') ?? m.defaultExplanation;
    plan.statuses.push({ typeId, status, legalBasis, explanation, column: columnName(col), cell });
  }
  const blocking = issues.some((i) => !ROW_WARNINGS.includes(i.code));
  return { plan: blocking ? null : plan, issues };
}

export const isBlankRow = (cells: readonly string[]) => cells.every((c) => cleanCell(c) === '');

export type RowKey = { waNumber: string; statuses: ReadonlyArray<readonly [typeId: string, status: ConsentStatus]> };

// Only what the duplicate scan needs of a row: its number and the statuses it sets,
// read as validateRow reads them (null when the row has no valid number).
export function readRowKey(cells: readonly string[], m: CompiledMapping, defaultCountry: string): RowKey | null {
  let waNumber = '';
  const statuses: Array<readonly [string, ConsentStatus]> = [];
  for (let col = 0; col < m.targets.length; col++) {
    const t = m.targets[col];
    if (!t || (t.kind !== 'phone' && t.kind !== 'status')) continue;
    const text = unguardFormula(cleanCell(cells[col] ?? ''));
    if (t.kind === 'phone') {
      const check = text ? checkPhone(text, defaultCountry) : null;
      if (!check?.valid) return null;
      waNumber = check.e164;
    } else if (t.kind === 'status') {
      const read = readStatus(text);
      if (read.kind === 'value') statuses.push([t.typeId, read.value]);
    }
  }
  return waNumber ? { waNumber, statuses } : null;
}
