import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { ALL_WHATSAPP_TYPE_ID } from '../../../src/shared/domain';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';

let app: TestApp;
let admin: Session;
let typeId: string;
const ids: Record<string, string> = {};

const ownOptOut = (contactId: string, type: string) =>
  app.services.ledger.append([{
    contactId, typeId: type, status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'STOP',
    actor: { kind: 'contact', id: contactId, name: 'contact' }, evidence: { messageId: `m-${contactId}-${type}` },
  }]);

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
  for (const [name, phone] of [['Anna', '601 234 567'], ['Bad Number', '12'], ['Cezary', '602 345 678'], ['Stop Sender', '603 456 789']] as const) {
    ids[name] = (await app.must(admin, 'contacts:create', { name, phoneInput: phone })).id;
  }
  await app.must(admin, 'consent:change', {
    contactId: ids.Cezary ?? '', typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'asked', basedOn: '',
  });
  await ownOptOut(ids['Stop Sender'] ?? '', typeId);
});
afterEach(async () => app.dispose());

describe('bulk status changes', () => {
  it('previews who changes and who is skipped and why, applies, and undoes by compensating events', async () => {
    const request = { target: typeId, status: 'subscribed' as const, selection: { query: { search: '' } }, legalBasis: 'legitimate_interest_client' as const, explanation: 'Existing customers' };
    const preview = await app.must(admin, 'bulk:preview', request);
    expect(preview).toMatchObject({ selected: 4, change: 1, skipped: { invalid_number: 1, unchanged: 1, own_opt_out: 1, not_found: 0 } });
    expect(preview.skippedContacts.map((c) => [c.name, c.reason]).sort()).toEqual([
      ['Bad Number', 'invalid_number'], ['Cezary', 'unchanged'], ['Stop Sender', 'own_opt_out'],
    ]);
    expect(await app.services.ledger.state(ids.Anna ?? '', typeId)).toBeNull();

    const result = await app.must(admin, 'bulk:apply', { bulkId: preview.bulkId });
    expect(result).toMatchObject({ state: 'finished', changed: 1 });
    const anna = await app.services.ledger.state(ids.Anna ?? '', typeId);
    expect(anna?.status).toBe('subscribed');
    expect((await app.services.ledger.events(ids.Anna ?? ''))[0]).toMatchObject({ source: 'bulk', legalBasis: 'legitimate_interest_client', evidence: { bulkId: preview.bulkId } });

    const listed = await app.must(admin, 'bulk:list', {});
    expect(listed[0]).toMatchObject({ bulkId: preview.bulkId, changed: 1, undone: false });

    const eventsBefore = await app.services.db.consent_events.count().exec();
    const undo = await app.must(admin, 'bulk:undo', { bulkId: preview.bulkId });
    expect(undo).toMatchObject({ restored: 1, skipped: 0 });
    expect((await app.services.ledger.state(ids.Anna ?? '', typeId))?.status).toBe('not_specified');
    // Nothing deleted: one compensating event was added.
    expect(await app.services.db.consent_events.count().exec()).toBe(eventsBefore + 1);
    const last = (await app.services.ledger.events(ids.Anna ?? '')).find((e) => e.evidence.undoOf === preview.bulkId);
    expect(last).toMatchObject({ source: 'bulk', status: 'not_specified' });
    expect((await app.must(admin, 'bulk:list', {}))[0]?.undone).toBe(true);
    expect(await app.as(admin)('bulk:undo', { bulkId: preview.bulkId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('undo leaves a contact whose status changed again after the bulk action', async () => {
    const preview = await app.must(admin, 'bulk:preview', {
      target: typeId, status: 'unsubscribed', selection: { ids: [ids.Cezary ?? ''] }, explanation: 'Campaign ended',
    });
    await app.must(admin, 'bulk:apply', { bulkId: preview.bulkId });
    const state = await app.services.ledger.state(ids.Cezary ?? '', typeId);
    await app.must(admin, 'consent:change', {
      contactId: ids.Cezary ?? '', typeId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'called us', basedOn: state?.lastEventId ?? '',
    });
    const undo = await app.must(admin, 'bulk:undo', { bulkId: preview.bulkId });
    expect(undo).toMatchObject({ restored: 0, skipped: 1, skippedContacts: [{ contactId: ids.Cezary, name: 'Cezary' }] });
  });

  it('removes only the "opted out of all WhatsApp" flags a user set, listing the contacts who opted out themselves', async () => {
    await app.must(admin, 'consent:setOptOutAll', { contactId: ids.Anna ?? '', optedOut: true, explanation: 'asked by phone', basedOn: '' });
    await ownOptOut(ids.Cezary ?? '', ALL_WHATSAPP_TYPE_ID);
    const preview = await app.must(admin, 'bulk:preview', {
      target: 'all_whatsapp', status: 'not_specified', selection: { query: { status: 'opted_out_all' } }, explanation: 'Clean-up',
    });
    expect(preview).toMatchObject({ selected: 2, change: 1, skipped: { own_opt_out: 1 } });
    expect(preview.skippedContacts).toEqual([{ contactId: ids.Cezary, name: 'Cezary', reason: 'own_opt_out' }]);
    await app.must(admin, 'bulk:apply', { bulkId: preview.bulkId });
    expect(app.services.directory.get(ids.Anna ?? '')?.optedOutAll).toBe(false);
    expect(app.services.directory.get(ids.Cezary ?? '')?.optedOutAll).toBe(true);
  });

  it('refuses bad requests and other roles, changing nothing', async () => {
    const base = { target: typeId, status: 'subscribed' as const, selection: { ids: [ids.Anna ?? ''] }, explanation: 'x' };
    expect(await app.as(admin)('bulk:preview', base)).toMatchObject({ ok: false, error: { code: 'legal_basis_required' } });
    expect(await app.as(admin)('bulk:preview', { ...base, legalBasis: 'consent_with_notice', explanation: '' })).toMatchObject({ ok: false, error: { code: 'explanation_required' } });
    expect(await app.as(admin)('bulk:preview', { ...base, target: 'nope', legalBasis: 'consent_with_notice' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await app.as(admin)('bulk:apply', { bulkId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const officer = await app.signIn('compliance_officer');
    expect(await app.as(officer)('bulk:preview', { ...base, legalBasis: 'consent_with_notice' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.services.ledger.state(ids.Anna ?? '', typeId)).toBeNull();
  });
});

describe('contacts CSV export', () => {
  it('writes statuses, neutralises formula cells and honours the BOM and semicolon options; field agents may not export', async () => {
    await app.must(admin, 'contacts:create', { name: '=HYPERLINK("http://evil")', phoneInput: '604 000 000', properties: { note: '+1 call me' } });
    const file = await app.must(admin, 'exports:contacts', { query: { search: '' }, delimiter: ';', bom: true });
    expect(file.rows).toBe(5);
    expect(file.content.startsWith('\ufeffname;whatsapp_number;')).toBe(true);
    expect(file.content).toContain(`'=HYPERLINK(""http://evil"")`);
    expect(file.content).toContain(`'+1 call me`);
    // A leading + would make Excel read the number as a formula and drop it; the apostrophe keeps it text.
    expect(file.content).toMatch(/Cezary;'\+48602345678;yes;;;subscribed;no/);
    const plain = await app.must(admin, 'exports:contacts', { query: { search: 'Anna' }, delimiter: ',', bom: false });
    expect(plain.content.startsWith('name,')).toBe(true);
    const agent = await app.signIn('field_agent');
    expect(await app.as(agent)('exports:contacts', { query: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
