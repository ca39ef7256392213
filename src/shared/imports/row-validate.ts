// One CSV row, read against a mapping: either a plan of what it says, or the reasons it
// cannot be imported. Rows are independent except for duplicates, which the caller
// tracks across the file (`seenNumbers`).
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
};

export const compileMapping = (mapping: ImportMapping, headers: readonly string[]): CompiledMapping => ({
  targets: mapping.columns.map(parseTarget),
  headers: [...headers],
  defaultLegalBasis: mapping.defaultLegalBasis,
  defaultExplanation: mapping.defaultExplanation,
  shared: new Map(),
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
  seenNumbers: Map<string, number>,
): RowOutcome {
  const issues: RowIssue[] = [];
  const columnName = (col: number) => m.headers[col] ?? `#${col + 1}`;
  const issue = (code: RowIssueCode, col: number, value: string) =>
    issues.push({ row, code, column: columnName(col), value: detach(value.slice(0, 120)) });
  const plan: RowPlan = { row, name: '', email: null, phoneInput: '', waNumber: '', properties: {}, tags: null, statuses: [] };
  const statusCols: Array<[number, string, ConsentStatus, string]> = [];
  const basisByType = new Map<string, [LegalBasis, number]>();
  const explanationByType = new Map<string, string>();

  for (let col = m.targets.length; col < cells.length; col++) {
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
    switch (t.kind) {
      case 'name':
        plan.name = detach(text);
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
        const first = seenNumbers.get(check.e164);
        if (first !== undefined && first !== row) issue('duplicate_in_file', col, `${raw} (row ${first})`);
        else seenNumbers.set(check.e164, row);
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
