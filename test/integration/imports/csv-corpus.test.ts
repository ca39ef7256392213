import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { RowIssueCode } from '../../../src/shared/imports/row-issues';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { uploadCsv } from './upload';

// Every file in test/fixtures/csv goes through the real upload → analyze → dry run
// with the mapping the wizard would propose, and must get its expected outcome.
type Expected =
  | { notCsv: 'empty' | 'binary' | 'pdf' | 'spreadsheet' | 'header_only' }
  | {
      format?: { encoding?: string; delimiter?: string; hasHeader?: boolean };
      rows: number;
      valid: number;
      issues?: Partial<Record<RowIssueCode, number>>;
      // Row numbers of the reported issues, when they matter.
      issueRows?: number[];
      names?: string[];
    };

const CORPUS: Record<string, Expected> = {
  'utf8-bom.csv': { format: { encoding: 'utf-8', delimiter: ',', hasHeader: true }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'utf8-no-bom.csv': { format: { encoding: 'utf-8', delimiter: ',' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'cp1250.csv': { format: { encoding: 'windows-1250', delimiter: ';' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'semicolon.csv': { format: { delimiter: ';' }, rows: 3, valid: 3 },
  'tab-separated.csv': { format: { delimiter: '\t' }, rows: 3, valid: 3 },
  'quoted-newlines.csv': { rows: 2, valid: 2, names: ['Anna "Ania"\r\nNowak', 'Piotr, Jr.'] },
  // Short rows leave the missing cells empty; cells past the header become extra columns the user can map.
  'ragged-rows.csv': { rows: 3, valid: 3 },
  'empty.csv': { notCsv: 'empty' },
  'whitespace-only.csv': { notCsv: 'empty' },
  'header-only.csv': { notCsv: 'header_only' },
  'binary-garbage.csv': { notCsv: 'binary' },
  'pdf-renamed.csv': { notCsv: 'pdf' },
  'xlsx-renamed.csv': { notCsv: 'spreadsheet' },
  'formula-cells.csv': { rows: 3, valid: 3, names: ['=1+2', '@SUM(A1)', '-2+3'] },
  // As the contacts export writes them: the guarding apostrophe is read back off ('-1 is then an unknown status).
  'guarded-formula-cells.csv': { rows: 4, valid: 3, issues: { unknown_status: 1 }, issueRows: [3], names: ['=1+2', '-2+3', "'Apostrophe first"] },
  'unknown-status.csv': { rows: 3, valid: 1, issues: { unknown_status: 2 }, issueRows: [2, 3] },
  'unknown-legal-basis.csv': { rows: 2, valid: 1, issues: { unknown_legal_basis: 1 }, issueRows: [2] },
  'invalid-numbers.csv': { rows: 4, valid: 1, issues: { invalid_number: 2, missing_number: 1 }, issueRows: [2, 3, 4] },
  'duplicate-numbers.csv': { rows: 4, valid: 2, issues: { duplicate_in_file: 2 }, issueRows: [3, 4] },
  'nfd-names.csv': { rows: 2, valid: 2, names: ['Łucja Żółtowska', 'José Ñúñez'] },
  'zero-width.csv': { rows: 2, valid: 2, names: ['Anna Nowak', 'Piotr'] },
  'rtl-marks.csv': { rows: 2, valid: 2, names: ['אנה כהן', 'Piotr'] },
  'very-long-cell.csv': { rows: 3, valid: 1, issues: { cell_too_long: 2 }, issueRows: [2, 3] },
  'blank-lines.csv': { rows: 2, valid: 1, issues: { invalid_number: 1 }, issueRows: [6] },
  'trailing-delimiters.csv': { format: { delimiter: ';' }, rows: 2, valid: 2 },
  'excel-sep-line.csv': { format: { delimiter: ';', hasHeader: true }, rows: 3, valid: 3 },
  'bom-and-sep-line.csv': { format: { delimiter: ',', encoding: 'utf-8' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'cr-only-line-endings.csv': { rows: 3, valid: 3 },
  'lf-only-line-endings.csv': { rows: 3, valid: 3 },
  'no-header.csv': { format: { delimiter: ';', hasHeader: false }, rows: 2, valid: 2, names: ['Anna Nowak', 'Piotr Zieliński'] },
  'polish-status-words.csv': { rows: 6, valid: 6 },
  'polish-headers.csv': { format: { encoding: 'windows-1250', delimiter: ';', hasHeader: true }, rows: 1, valid: 1, names: ['Anna Nowak'] },
  'missing-name.csv': { rows: 2, valid: 1, issues: { missing_name: 1 }, issueRows: [2] },
  'utf16le-bom.csv': { format: { encoding: 'utf-16le', delimiter: '\t' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'invalid-email.csv': { rows: 2, valid: 1, issues: { invalid_email: 1 }, issueRows: [2] },
  'phones-only.csv': { rows: 2, valid: 0, issues: { missing_name: 2 } },
  // The stray quote swallows the rest of the file into one cell: one row, reported, and the row before it imports.
  'unbalanced-quote.csv': { rows: 2, valid: 1, issues: { missing_number: 1 }, issueRows: [3] },
};

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'csv');
let app: TestApp;
let admin: Session;

beforeAll(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
});
afterAll(async () => app.dispose());

describe('CSV corpus', () => {
  it('has at least 30 files, each with an expected outcome', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.entries(CORPUS))('%s', async (file, expected) => {
    const jobId = await uploadCsv(app, admin, file, readFileSync(join(dir, file)), 1000);
    const analyzed = await app.as(admin)('imports:analyze', { jobId });
    if ('notCsv' in expected) {
      expect(analyzed).toMatchObject({ ok: false, error: { code: 'not_csv', details: { reason: expected.notCsv } } });
      return;
    }
    if (!analyzed.ok) throw new Error(`${file}: ${analyzed.error.message}`);
    const analysis = analyzed.value;
    if (expected.format) expect(analysis.format).toMatchObject(expected.format);
    const mapping = { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: 'corpus' };
    const dry = await app.must(admin, 'imports:dryRun', { jobId, mapping });
    expect({ rows: dry.counts.rows, valid: dry.counts.valid }).toEqual({ rows: expected.rows, valid: expected.valid });
    expect(dry.counts.issues).toEqual(expected.issues ?? {});
    if (expected.issueRows) expect([...new Set(dry.issues.map((i) => i.row))]).toEqual(expected.issueRows);
    if (expected.names) expect(dry.diffs.map((d) => d.name)).toEqual(expected.names);
  });
});
