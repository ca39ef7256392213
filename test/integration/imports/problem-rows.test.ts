import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from './upload';

// A file of the rows an import skipped, to fix in a spreadsheet and import again.
let app: TestApp;
let admin: Session;

beforeEach(async () => {
  ({ app, admin } = await openAppWithMarketing());
});
afterEach(async () => app.dispose());

const CSV = [
  'Name;Phone;Marketing;Legal basis;City',
  'Anna Nowak;601 234 567;tak;zgoda;Kraków',
  'Piotr Zieliński;12;yes;consent;Gdańsk',
  '=Maria;+48 602 345 678;maybe;consent;"Łódź; centrum"',
  'Jan Kowalski;603 456 789;subscribed;;Poznań',
  // The same number as row 2, and the same status: an ordinary duplicate (a conflicting one skips both rows).
  'Ewa Duplikat;601-234-567;tak;zgoda;Kraków',
  ';604 000 111;nie;;',
  'Olga;605 000 222;nie;;Opole;extra cell',
  '',
].join('\r\n');

async function upload(text: string, fileName = 'contacts.csv') {
  const jobId = await uploadCsv(app, admin, fileName, utf8(text));
  const analysis = await app.must(admin, 'imports:analyze', { jobId });
  return { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: '' as const, defaultExplanation: '' }, analysis };
}

const parse = (content: string) => Papa.parse<string[]>(content.replace(/^\ufeff/, ''), { delimiter: ';', skipEmptyLines: true }).data;

describe('rows to fix', () => {
  it('lists every skipped row with its own cells, its row number and its problems; warnings alone are not skipped', async () => {
    const { jobId, mapping } = await upload(CSV);
    const labels = { invalid_number: 'Niepoprawny numer', unknown_status: 'Nieznany status' };
    const file = await app.must(admin, 'imports:problemRows', { jobId, mapping, delimiter: ';', bom: true, labels });
    expect(file.fileName).toBe('contacts-rows-to-fix.csv');
    expect(file.rows).toBe(5);
    expect(file.content.startsWith('\ufeff')).toBe(true);
    // The export guards formula-like cells; the import reads them back (see export-reimport.test.ts).
    expect(file.content).toContain("'=Maria");
    expect(parse(file.content)).toEqual([
      ['Name', 'Phone', 'Marketing', 'Legal basis', 'City', 'import_row', 'import_problems'],
      ['Piotr Zieliński', '12', 'yes', 'consent', 'Gdańsk', '3', 'Phone: Niepoprawny numer (12)'],
      ["'=Maria", "'+48 602 345 678", 'maybe', 'consent', 'Łódź; centrum', '4', 'Marketing: Nieznany status (maybe)'],
      ['Jan Kowalski', '603 456 789', 'subscribed', '', 'Poznań', '5', 'Marketing: legal basis required (subscribed)'],
      ['Ewa Duplikat', '601-234-567', 'tak', 'zgoda', 'Kraków', '6', 'Phone: duplicate in file (601-234-567 (row 2))'],
      ['', '604 000 111', 'nie', '', '', '7', 'missing name (604 000 111)'],
    ]);
  });

  it('after the import, still lists the skipped rows; fixed and imported again, they all go in', async () => {
    const { jobId, mapping } = await upload(CSV);
    const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
    expect(summary.counts.invalid).toBe(5);
    // Without a mapping: the one the import was applied with; without a delimiter: the file's (';').
    expect((await app.must(admin, 'imports:problemRows', { jobId })).content).toContain(';import_row;import_problems');
    const file = await app.must(admin, 'imports:problemRows', { jobId, delimiter: ',', bom: false });
    expect(file.rows).toBe(5);

    const fixed = file.content
      .replace('Piotr Zieliński,12,', 'Piotr Zieliński,606 000 333,')
      .replace(',maybe,', ',yes,')
      .replace('Jan Kowalski,603 456 789,subscribed,,', 'Jan Kowalski,603 456 789,subscribed,consent,')
      .replace('Ewa Duplikat,601-234-567,', 'Ewa Duplikat,607 000 444,')
      .replace(/\r\n,604 000 111,/, '\r\nZofia,604 000 111,');
    const again = await upload(fixed, file.fileName);
    expect(again.analysis.mapping.slice(-2)).toEqual(['ignore', 'ignore']);
    const dry = await app.must(admin, 'imports:dryRun', { jobId: again.jobId, mapping: again.mapping });
    expect(dry.issues).toEqual([]);
    expect(dry.counts).toMatchObject({ rows: 5, valid: 5, contacts: { create: 5 } });
    const second = await app.must(admin, 'imports:apply', { jobId: again.jobId, mapping: again.mapping });
    expect(second).toMatchObject({ contactsCreated: 5, eventsRecorded: 5 });
    expect(app.services.directory.findByWaNumber('+48602345678')?.name).toBe('=Maria');
    expect(app.services.directory.findByWaNumber('+48602345678')?.properties).toEqual({ City: 'Łódź; centrum' });
    // Nothing left to fix.
    expect((await app.must(admin, 'imports:problemRows', { jobId: again.jobId, mapping: again.mapping, delimiter: ',', bom: false })).rows).toBe(0);
  });

  it('a file without a header row gets none back', async () => {
    const { jobId, mapping, analysis } = await upload('Anna Nowak;601 234 567\r\nPiotr;12\r\n');
    expect(analysis.format.hasHeader).toBe(false);
    const file = await app.must(admin, 'imports:problemRows', { jobId, mapping: { ...mapping, columns: ['name', 'phone'] }, delimiter: ';', bom: false });
    expect(parse(file.content)).toEqual([['Piotr', '12', '2', '#2: invalid number (12)']]);
  });

  it('refuses other roles, unknown problem codes and a mapping that cannot be used', async () => {
    const { jobId, mapping } = await upload(CSV);
    const agent = await app.signIn('field_agent');
    expect(await app.as(agent)('imports:problemRows', { jobId, mapping })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.as(admin)('imports:problemRows', { jobId, mapping, labels: { no_such_problem: 'x' } } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Not applied yet, so there is no mapping to fall back on.
    expect(await app.as(admin)('imports:problemRows', { jobId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await app.as(admin)('imports:problemRows', { jobId, mapping: { ...mapping, columns: ['name'] } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await app.as(admin)('imports:problemRows', { jobId: 'nope', mapping })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
