import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { NotCsvReason } from '../../../src/shared/imports/csv-detect';
import type { RowIssueCode } from '../../../src/shared/imports/row-issues';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { uploadCsv } from './upload';

// Every file in test/fixtures/csv goes through the real upload → analyze → dry run
// with the mapping the wizard would propose, and must get its expected outcome.
type Expected =
  | { notCsv: NotCsvReason }
  // Refused at analysis with this reason (before anything could be written).
  | { refused: string }
  | {
      format?: { encoding?: string; delimiter?: string; hasHeader?: boolean };
      rows: number;
      valid: number;
      issues?: Partial<Record<RowIssueCode, number>>;
      // Row numbers of the reported issues, when they matter.
      issueRows?: number[];
      names?: string[];
      // The encoding was decided over the whole file, not the first 64 KB.
      encodingChange?: { from: string; to: string };
    };

const CORPUS: Record<string, Expected> = {
  'utf8-bom.csv': { format: { encoding: 'utf-8', delimiter: ',', hasHeader: true }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'utf8-no-bom.csv': { format: { encoding: 'utf-8', delimiter: ',' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'cp1250.csv': { format: { encoding: 'windows-1250', delimiter: ';' }, rows: 3, valid: 3, names: ['Anna Nowak', 'Łukasz Żółć', 'Zofia Śliwa'] },
  'semicolon.csv': { format: { delimiter: ';' }, rows: 3, valid: 3 },
  'tab-separated.csv': { format: { delimiter: '\t' }, rows: 3, valid: 3 },
  'quoted-newlines.csv': { rows: 2, valid: 2, names: ['Anna "Ania"\r\nNowak', 'Piotr, Jr.'] },
  // Short rows leave the missing cells empty; cells past the header are a warning (the row still imports).
  'ragged-rows.csv': { rows: 3, valid: 3, issues: { extra_cells: 1 }, issueRows: [3] },
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
  // One number, three rows, "tak" and "no": a conflict the file does not settle; all three are skipped.
  'duplicate-numbers.csv': { rows: 4, valid: 1, issues: { conflicting_duplicate: 3 }, issueRows: [2, 3, 4], names: ['Jan Kowalski'] },
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
  // The stray quote never closes: its row is reported, and the rows after it are read from the next line.
  'unbalanced-quote.csv': { rows: 3, valid: 2, issues: { unclosed_quote: 1 }, issueRows: [3], names: ['Anna Nowak', 'Ewa Lis'] },

  // Classes of issue 19: each file is a different way of hiding a row.
  // Plain ASCII for the first 64 KB, Windows-1250 after: read whole as Windows-1250, and the wizard says so.
  'late-cp1250.csv': { format: { encoding: 'windows-1250', delimiter: ';' }, rows: 1802, valid: 1802, encodingChange: { from: 'utf-8', to: 'windows-1250' } },
  // Real UTF-8 first and Windows-1250 later: no single encoding reads it; refused before anything is written.
  'late-mixed-encodings.csv': { refused: 'mixed_encodings' },
  'mixed-line-endings.csv': { rows: 6, valid: 6, names: ['Anna Nowak', 'Piotr Zieliński', 'Ewa Lis', 'Jan Kowalski', 'Olga Wypisana', 'Zofia Śliwa'] },
  'mixed-endings-quoted.csv': { rows: 3, valid: 3, names: ['Anna\r\nNowak', 'Piotr', 'Ewa'] },
  'lf-crlf-cr-tail.csv': { rows: 4, valid: 4, names: ['Anna Nowak', 'Piotr Zieliński', 'Ewa Lis', 'Jan Kowalski'] },
  'unclosed-quote-middle.csv': { rows: 6, valid: 5, issues: { unclosed_quote: 1 }, issueRows: [3], names: ['Anna Nowak', 'Ewa Lis', 'Jan Kowalski', 'Olga Wypisana', 'Zofia Śliwa'] },
  // A stray quote that a later stray quote would close: the lines between are rows, not one cell.
  'stray-quote-pair.csv': { rows: 5, valid: 4, issues: { unclosed_quote: 1 }, issueRows: [3], names: ['Anna Nowak', 'Ewa Lis', 'Jan Kowalski', 'Olga Wypisana'] },
  // A 1.1 MB record is one problem row; the rows after it keep their own numbers.
  'over-long-record.csv': { rows: 5, valid: 3, issues: { record_too_long: 1, invalid_number: 1 }, issueRows: [3, 5], names: ['Anna Nowak', 'Ewa Lis', 'Olga Wypisana'] },
  'conflicting-duplicates-optout-last.csv': { rows: 3, valid: 1, issues: { conflicting_duplicate: 2 }, issueRows: [2, 4], names: ['Piotr Zieliński'] },
  'conflicting-duplicates-optout-first.csv': { rows: 3, valid: 1, issues: { conflicting_duplicate: 2 }, issueRows: [2, 3], names: ['Piotr Zieliński'] },
  'agreeing-duplicates.csv': { rows: 3, valid: 2, issues: { duplicate_in_file: 1 }, issueRows: [4], names: ['Anna Nowak', 'Piotr Zieliński'] },
  // An empty status cell says nothing, so it does not conflict.
  'duplicate-empty-status.csv': { rows: 3, valid: 2, issues: { duplicate_in_file: 1 }, issueRows: [3], names: ['Anna Nowak', 'Piotr Zieliński'] },
  'high-byte-garbage.csv': { notCsv: 'garbled' },
  'single-long-line.csv': { notCsv: 'line_too_long' },
  'first-last-name-en.csv': { rows: 3, valid: 3, names: ['Anna Nowak', 'Piotr Zieliński', 'Cher'] },
  'imie-nazwisko-pl.csv': { format: { encoding: 'utf-8', delimiter: ';' }, rows: 2, valid: 2, names: ['Łukasz Żmuda', 'Zofia Śliwa'] },
  'imie-nazwisko-cp1250.csv': { format: { encoding: 'windows-1250', delimiter: ';' }, rows: 2, valid: 2, names: ['Łukasz Żmuda', 'Grażyna Łęcka'] },
  // A row wider than the header is warned about wherever it sits: in the preview's rows or far below.
  'extra-cells-anywhere.csv': { rows: 73, valid: 73, issues: { extra_cells: 2 }, issueRows: [3, 74] },
  'replacement-char.csv': { rows: 2, valid: 1, issues: { garbled_text: 1 }, issueRows: [3], names: ['Anna Nowak'] },
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
    expect(files.length).toBeGreaterThan(50);
    expect(files).toEqual(Object.keys(CORPUS).sort());
  });

  it.each(Object.entries(CORPUS))('%s', async (file, expected) => {
    const jobId = await uploadCsv(app, admin, file, readFileSync(join(dir, file)), 1000);
    const analyzed = await app.as(admin)('imports:analyze', { jobId });
    if ('notCsv' in expected) {
      expect(analyzed).toMatchObject({ ok: false, error: { code: 'not_csv', details: { reason: expected.notCsv } } });
      return;
    }
    if ('refused' in expected) {
      expect(analyzed).toMatchObject({ ok: false, error: { details: { reason: expected.refused } } });
      return;
    }
    if (!analyzed.ok) throw new Error(`${file}: ${analyzed.error.message}`);
    const analysis = analyzed.value;
    if (expected.format) expect(analysis.format).toMatchObject(expected.format);
    if (expected.encodingChange) expect(analysis.encodingChange).toMatchObject(expected.encodingChange);
    else expect(analysis.encodingChange).toBeNull();
    const mapping = { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: 'corpus' };
    const dry = await app.must(admin, 'imports:dryRun', { jobId, mapping });
    expect({ rows: dry.counts.rows, valid: dry.counts.valid }).toEqual({ rows: expected.rows, valid: expected.valid });
    expect(dry.counts.issues).toEqual(expected.issues ?? {});
    if (expected.issueRows) expect([...new Set(dry.issues.map((i) => i.row))]).toEqual(expected.issueRows);
    if (expected.names) expect(dry.diffs.map((d) => d.name)).toEqual(expected.names);
    // Whatever the file, no cell read into a plan holds U+FFFD.
    expect(dry.diffs.filter((d) => d.name.includes('\ufffd'))).toEqual([]);
  });
});
