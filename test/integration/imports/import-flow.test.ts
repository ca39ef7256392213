import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from './upload';

let app: TestApp;
let admin: Session;
let typeId: string;

beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  const type = await app.must(admin, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep',
  });
  typeId = type.id;
});
afterEach(async () => app.dispose());

const CSV = [
  'Name;Phone;E-mail;Marketing;Legal basis;City',
  'Anna Nowak;601 234 567;anna@example.pl;tak;zgoda;Kraków',
  'Piotr Zieliński;12;;yes;consent;Gdańsk',
  'Maria Wiśniewska;+48 602 345 678;;maybe;consent;Łódź',
  'Jan Kowalski;603 456 789;;subscribed;;Poznań',
  'Ewa Duplikat;601-234-567;;tak;zgoda;Kraków',
  'Olga Wypisana;604 567 890;;nie;;Opole',
  '',
].join('\r\n');

async function analyzeAndMap(bytes: Uint8Array, name = 'contacts.csv') {
  const jobId = await uploadCsv(app, admin, name, bytes);
  const analysis = await app.must(admin, 'imports:analyze', { jobId });
  const mapping = { columns: analysis.mapping, defaultLegalBasis: '' as const, defaultExplanation: 'Spring fair sign-ups' };
  return { jobId, analysis, mapping };
}

describe('CSV import', () => {
  it('detects the format, reports bad rows by number, applies the good ones, and a re-import changes nothing', async () => {
    const { jobId, analysis, mapping } = await analyzeAndMap(utf8(CSV));
    expect(analysis.format).toEqual({ encoding: 'utf-8', delimiter: ';', hasHeader: true });
    expect(analysis.mapping).toEqual(['name', 'phone', 'email', `status:${typeId}`, 'legalBasis:', 'property:City']);

    const dry = await app.must(admin, 'imports:dryRun', { jobId, mapping });
    expect(dry.counts.rows).toBe(6);
    expect(dry.issues.map((i) => [i.row, i.code])).toEqual([
      [3, 'invalid_number'],
      [4, 'unknown_status'],
      [5, 'legal_basis_required'],
      [6, 'duplicate_in_file'],
    ]);
    expect(dry.counts.contacts.create).toBe(2);
    expect(dry.counts.statuses.change).toBe(2);
    expect(await app.services.db.contacts.count().exec()).toBe(0);

    const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
    expect(summary).toMatchObject({ state: 'finished', eventsRecorded: 2, contactsCreated: 2 });
    const anna = app.services.directory.findByWaNumber('+48601234567');
    expect(anna?.properties).toEqual({ City: 'Kraków' });
    const events = await app.services.ledger.events(anna?.id ?? '');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      status: 'subscribed', source: 'csv_import', legalBasis: 'consent_with_notice', explanation: 'Spring fair sign-ups',
      evidence: { fileName: 'contacts.csv', row: 2 },
    });
    expect(events[0]?.id).toMatch(new RegExp(`^csv:${summary.importId}:2:`));

    // The same file again, as a new upload: nothing changes, no events.
    const again = await analyzeAndMap(utf8(CSV));
    expect(again.analysis.remembered).toBe(true);
    const before = await app.services.db.consent_events.count().exec();
    const second = await app.must(admin, 'imports:apply', { jobId: again.jobId, mapping: again.mapping });
    expect(second).toMatchObject({ state: 'finished', eventsRecorded: 0, contactsCreated: 0, contactsUpdated: 0, importId: summary.importId });
    expect(await app.services.db.consent_events.count().exec()).toBe(before);
    expect(await app.services.db.contacts.count().exec()).toBe(2);
  });

  it('reads Windows-1250 bytes and a tab-separated file', async () => {
    const cp1250 = Uint8Array.from([
      ...utf8('name,phone\r\n'),
      0x4a, 0xb3, 0x72, 0x7a, 0x79, // "Jłrzy": ł is 0xb3 in Windows-1250
      ...utf8(',601 111 222\r\n'),
    ]);
    const { jobId, analysis } = await analyzeAndMap(cp1250, 'excel.csv');
    expect(analysis.format.encoding).toBe('windows-1250');
    expect(analysis.sample[0]?.cells[0]).toBe('Jłrzy');
    await app.must(admin, 'imports:apply', { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: '', defaultExplanation: '' } });
    expect(app.services.directory.findByWaNumber('+48601111222')?.name).toBe('Jłrzy');

    const tab = await analyzeAndMap(utf8('phone\tname\n601 333 444\tTab Person\n'), 'tabs.tsv');
    expect(tab.analysis.format.delimiter).toBe('\t');
  });

  it('never lifts a contact\'s own opt-out unless the row says subscribed and the user confirms it', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Stop Sender', phoneInput: '+48 605 000 111' });
    await app.services.ledger.append([{
      contactId: contact.id, typeId, status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'STOP',
      actor: { kind: 'contact', id: contact.id, name: contact.name }, evidence: { messageId: 'm1' },
    }]);
    const file = utf8('name,phone,status,legal basis\nStop Sender,605 000 111,subscribed,consent\n');
    const first = await analyzeAndMap(file);
    const dry = await app.must(admin, 'imports:dryRun', { jobId: first.jobId, mapping: first.mapping });
    expect(dry.needsConfirmation).toEqual([{ row: 2, name: 'Stop Sender', typeId }]);
    const unconfirmed = await app.must(admin, 'imports:apply', { jobId: first.jobId, mapping: first.mapping });
    expect(unconfirmed.eventsRecorded).toBe(0);
    expect((await app.services.ledger.state(contact.id, typeId))?.status).toBe('unsubscribed');

    const second = await analyzeAndMap(file);
    const confirmed = await app.must(admin, 'imports:apply', { jobId: second.jobId, mapping: second.mapping, confirmOwnOptOutRows: [2] });
    expect(confirmed.eventsRecorded).toBe(1);
    expect((await app.services.ledger.state(contact.id, typeId))?.status).toBe('subscribed');
  });

  it('refuses files that are not CSV with a clear error and keeps other roles out', async () => {
    const pdf = await uploadCsv(app, admin, 'scan.csv', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj'));
    const r = await app.as(admin)('imports:analyze', { jobId: pdf });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_csv', details: { reason: 'pdf' } } });
    const headerOnly = await uploadCsv(app, admin, 'h.csv', utf8('name;phone\r\n'));
    expect(await app.as(admin)('imports:analyze', { jobId: headerOnly })).toMatchObject({ ok: false, error: { code: 'not_csv', details: { reason: 'header_only' } } });

    const agent = await app.signIn('field_agent');
    expect(await app.as(agent)('imports:begin', { fileName: 'x.csv', size: 3 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.as(agent)('bulk:list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('rules triggered by a finished import', () => {
  it('an enabled "import finished" rule runs over the imported contacts', async () => {
    const rule = await app.must(admin, 'rules:save', {
      rule: {
        name: 'Tag imported contacts',
        trigger: { kind: 'import_finished' },
        conditions: { kind: 'group', op: 'and', children: [] },
        actions: [{ kind: 'add_tag', tag: 'imported' }],
      },
    });
    await app.must(admin, 'rules:setEnabled', { id: rule.id, enabled: true });
    const { jobId, mapping } = await analyzeAndMap(utf8('Name;Phone\r\nAnna Nowak;601 234 567\r\nJan Kowalski;603 456 789\r\n'));
    const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
    expect(summary.state).toBe('finished');
    await app.services.automation.idle();
    const runs = await app.must(admin, 'rules:runs', { ruleId: rule.id });
    expect(runs.map((r) => [r.trigger, r.considered, r.changed])).toEqual([['import_finished', 2, 2]]);
    const tagged = (await app.services.db.contacts.find().exec()).map((c) => [c.name, c.tags]);
    expect(tagged.sort()).toEqual([['Anna Nowak', ['imported']], ['Jan Kowalski', ['imported']]]);
  });
});
