import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { AccessExportDocument } from '../../../src/shared/api/lifecycle-channels';
import type { ConsentEvent } from '../../../src/shared/domain';
import { queryPlain } from '../../../src/main/store/plain-documents';
import { scanBytes } from '../../helpers/byte-scan';
import { makeTempDir, openAppWithMarketing, openTestApp, type TestApp } from '../../helpers/temp-app';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { textMessage, webhook } from '../../helpers/webhook';

// Erasure of one contact on one device (GDPR Art. 17): what is removed, what stays, and that
// the ledger still verifies, with the bytes of the data folder scanned afterwards.
const NAME = 'Zażółć Gęślą Jaźń';
const EMAIL = 'zazolc.jazn@example.pl';
const STOP_TEXT = 'Proszę, STOP – nie piszcie już do mnie';
const ERASED_VALUES = [NAME, 'Zażółć', EMAIL, '601 234 567', '48601234567', STOP_TEXT, 'nie piszcie', 'Formularz papierowy Jaźń', 'Ulica Kwiatowa 7'];

let app: TestApp;
let admin: Session;
let typeId: string;
const apps: TestApp[] = [];

// The data file is left unencrypted here on purpose: erasure must remove the bytes, not rely
// on the encryption at rest to hide them (whoever holds the key could read freed pages).
beforeEach(async () => {
  const dataDir = makeTempDir();
  ({ app, admin, typeId } = await openAppWithMarketing({ dataDir, storage: getRxStorageSQLite({ directory: dataDir }) }));
  apps.push(app);
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose().catch(() => undefined);
});

const seed = async () => {
  const soon = Math.floor(Date.now() / 1000) + 30;
  const c = await app.must(admin, 'contacts:create', { name: NAME, phoneInput: '+48 601 234 567', email: EMAIL, properties: { adres: 'Ulica Kwiatowa 7' }, tags: ['vip'] });
  const other = await app.must(admin, 'contacts:create', { name: 'Someone Else', phoneInput: '+48 601 000 111' });
  await app.must(admin, 'consent:change', { contactId: c.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Formularz papierowy Jaźń', basedOn: '' });
  await app.must(admin, 'consent:change', { contactId: other.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Other person', basedOn: '' });
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.e1', STOP_TEXT, soon)], { from: '48601234567', name: NAME }) });
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.e2', 'STOP', soon + 30)], { from: '48601234567', name: NAME }) });
  return { c, other };
};

describe('erasure of a contact (Art. 17)', () => {
  it('removes the personal data from the contact, its events, inbound messages and review items; the ledger verifies; the bytes are gone', async () => {
    const { c, other } = await seed();
    const events = await queryPlain<ConsentEvent>(app.services.db.consent_events, { selector: { contactId: c.id } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.personal !== undefined)).toBe(true);
    const officer = await app.signIn('compliance_officer', 'Officer Ewa');
    const agent = await app.signIn('field_agent', 'Agent Jan');

    // Who may, and what input is refused; nothing changes on a refusal.
    expect(await app.as(agent)('erasure:eraseContact', { contactId: c.id, reason: 'Asked by e-mail' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.as(officer)('erasure:eraseContact', { contactId: c.id, reason: ' \u200b ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await app.as(officer)('erasure:eraseContact', { contactId: 'nobody', reason: 'Asked' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await app.as(officer)('erasure:eraseContact', { contactId: c.id, reason: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await app.must(admin, 'contacts:get', { id: c.id })).name).toBe(NAME);
    expect(await app.must(officer, 'erasure:status', { contactId: c.id })).toEqual({ erased: false });

    // The scan sees the values while they are held (a scan that cannot find anything proves nothing).
    expect(scanBytes(app.dataDir, [NAME, STOP_TEXT, '601 234 567']).map((h) => h.needle)).toEqual(expect.arrayContaining([NAME, STOP_TEXT, '601 234 567']));

    const outcome = await app.must(officer, 'erasure:eraseContact', { contactId: c.id, reason: 'Data-subject request of 2026-12-01' });
    expect(outcome).toMatchObject({ contactId: c.id, alreadyErased: false, contact: true, legacyEvents: 0, inboundMessages: 2, reviewItems: 1 });
    expect(outcome.events).toBe(events.length);

    const contact = await app.must(admin, 'contacts:get', { id: c.id });
    expect(contact).toMatchObject({ name: '', email: '', phoneInput: '', waNumber: '', phoneValid: false, properties: {}, tags: [] });
    // What stays proves "a consent of type T, status S, at time X, by device D".
    const after = await queryPlain<ConsentEvent>(app.services.db.consent_events, { selector: { contactId: c.id } });
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const e of after) {
      const before = byId.get(e.id);
      expect(e).toMatchObject({ typeId: before?.typeId, status: before?.status, occurredAt: before?.occurredAt, deviceId: before?.deviceId, hash: before?.hash, explanation: '' });
      expect(Object.values(e.personal ?? {}).every((p) => p.s === undefined && /^[0-9a-f]{64}$/.test(p.d))).toBe(true);
    }
    expect(await app.must(officer, 'erasure:status', { contactId: c.id })).toMatchObject({ erased: true, actorName: 'Officer Ewa', reason: 'Data-subject request of 2026-12-01' });

    const report = await app.must(officer, 'history:verify', {});
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.erased).toEqual({ contacts: 1, events: events.length, retention: 0 });

    // The access export after erasure shows only what remains.
    const exported = JSON.parse((await app.must(officer, 'lifecycle:accessExport', { contactId: c.id })).content) as AccessExportDocument;
    const text = JSON.stringify(exported);
    for (const v of ERASED_VALUES) expect(text).not.toContain(v);
    expect(exported.events.map((e) => e.status)).toEqual(['subscribed', 'unsubscribed']);

    // The other contact is untouched.
    expect((await app.must(admin, 'contacts:get', { id: other.id })).name).toBe('Someone Else');

    // Erasing again is harmless and says so; the audit holds one record.
    expect(await app.must(officer, 'erasure:eraseContact', { contactId: c.id, reason: 'again' })).toMatchObject({ alreadyErased: true, contact: false, events: 0 });
    expect((await app.must(admin, 'audit:list', { action: 'contact.erased', offset: 0, limit: 10 })).total).toBe(1);

    // An edit after the erasure that brings a value back is erased again.
    await app.must(admin, 'contacts:update', { id: c.id, name: NAME });
    await app.services.lifecycle.erasure.settled();
    expect((await app.must(admin, 'contacts:get', { id: c.id })).name).toBe('');

    const dir = app.dataDir;
    await app.close();
    expect(scanBytes(dir, ERASED_VALUES)).toEqual([]);
    expect(scanBytes(dir, ['Someone Else']).length).toBeGreaterThan(0);

    const reopened = await openTestApp({ dataDir: dir });
    apps.push(reopened);
    const again = await reopened.signInAs(admin.userId ?? '');
    expect((await reopened.must(again, 'history:verify', {})).ok).toBe(true);
  });
});
