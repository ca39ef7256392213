import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from './upload';

// Back-office staff export the contacts, edit the file in a spreadsheet and import it
// again. The export guards formula-like cells and adds columns about the record; the
// import must read all of that back so that only what was edited changes.
let app: TestApp;
let admin: Session;
let typeId: string;

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
  const seed = [
    'Name;Phone;E-mail;Marketing;Legal basis;City;Tags',
    'Anna Nowak;601 234 567;anna@example.pl;tak;zgoda;Kraków;"vip, fair"',
    '=1+2;602 345 678;;nie;;Łódź;',
    '-Ola;603 456 789;;;;+1 call me;',
    '@Piotr "P";604 567 890;;subscribed;consent;"a;b";',
    '',
  ].join('\r\n');
  await importFile(seed, 'seed.csv');
});
afterEach(async () => app.dispose());

async function importFile(text: string, fileName: string) {
  const jobId = await uploadCsv(app, admin, fileName, utf8(text));
  const analysis = await app.must(admin, 'imports:analyze', { jobId });
  const mapping = { columns: analysis.mapping, defaultLegalBasis: '' as const, defaultExplanation: '' };
  const dry = await app.must(admin, 'imports:dryRun', { jobId, mapping });
  const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
  return { analysis, dry, summary };
}

describe('export, edit, import again', () => {
  it.each([
    { delimiter: ',' as const, bom: true },
    { delimiter: ';' as const, bom: true },
    { delimiter: '\t' as const, bom: false },
  ])('an unedited export (delimiter %j) imports as no change at all', async (options) => {
    const contactsBefore = await app.services.db.contacts.find().exec();
    const eventsBefore = await app.services.db.consent_events.count().exec();
    const file = await app.must(admin, 'exports:contacts', { query: {}, ...options });
    // The export guards these cells; the point is that the guard is read back.
    expect(file.content).toContain("'=1+2");
    expect(file.content).toContain("'+48601234567");

    const { analysis, dry, summary } = await importFile(file.content, file.fileName);
    expect(analysis.mapping).toEqual([
      'name', 'phone', 'ignore', 'email', 'tags', `status:${typeId}`, 'ignore', 'property:City', 'ignore', 'ignore', 'ignore',
    ]);
    expect(dry.issues).toEqual([]);
    expect(dry.counts).toMatchObject({ rows: 4, valid: 4, invalid: 0, contacts: { create: 0, update: 0, same: 4 }, statuses: { change: 0, unchanged: 4 } });
    expect(summary).toMatchObject({ state: 'finished', eventsRecorded: 0, contactsCreated: 0, contactsUpdated: 0 });
    expect(await app.services.db.consent_events.count().exec()).toBe(eventsBefore);
    const after = await app.services.db.contacts.find().exec();
    expect(after.map((d) => d.toJSON())).toEqual(contactsBefore.map((d) => d.toJSON()));
    expect(after.map((d) => d.name).sort()).toEqual(['-Ola', '=1+2', '@Piotr "P"', 'Anna Nowak']);
  });

  it('an edited export changes exactly the edited cells; a new subscription still needs a legal basis', async () => {
    const file = await app.must(admin, 'exports:contacts', { query: {}, delimiter: ';', bom: true });
    const edited = file.content
      .replace('Anna Nowak;', 'Anna Nowak-Kowalska;')
      // '=1+2' was unsubscribed: subscribing needs a legal basis, which this file has no column for.
      .replace(/('=1\+2;[^;]*;[^;]*;[^;]*;[^;]*;)unsubscribed;/, '$1subscribed;')
      // '-Ola' had no status: unsubscribing needs no legal basis.
      .replace(/('-Ola;[^;]*;[^;]*;[^;]*;[^;]*;)not_specified;/, '$1unsubscribed;');
    const eventsBefore = await app.services.db.consent_events.count().exec();

    const { dry, summary } = await importFile(edited, 'edited.csv');
    expect(dry.issues.map((i) => [i.row, i.code, i.column, i.value])).toEqual([[expect.any(Number), 'legal_basis_required', 'Marketing', 'subscribed']]);
    expect(dry.counts).toMatchObject({ rows: 4, valid: 3, invalid: 1, contacts: { update: 1, same: 2 }, statuses: { change: 1, unchanged: 2 } });
    expect(summary).toMatchObject({ eventsRecorded: 1, contactsUpdated: 1, contactsCreated: 0 });
    expect(await app.services.db.consent_events.count().exec()).toBe(eventsBefore + 1);
    expect(app.services.directory.findByWaNumber('+48601234567')?.name).toBe('Anna Nowak-Kowalska');
    const ola = app.services.directory.findByWaNumber('+48603456789');
    expect((await app.services.ledger.state(ola?.id ?? '', typeId))?.status).toBe('unsubscribed');
    const formula = app.services.directory.findByWaNumber('+48602345678');
    expect((await app.services.ledger.state(formula?.id ?? '', typeId))?.status).toBe('unsubscribed');
  });
});
