import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { AccessExportDocument } from '../../../src/shared/api/lifecycle-channels';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';

// GDPR Art. 15: everything held about one contact, as JSON and as a PDF read back with pdftotext.
let app: TestApp;
let admin: Session;
let typeId: string;

const NAME = 'Zażółć Gęślą Jaźń';

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
});
afterEach(async () => {
  await app.dispose();
});

const seed = async () => {
  // The messages come after the paper-form subscription.
  const soon = Math.floor(Date.now() / 1000) + 30;
  const c = await app.must(admin, 'contacts:create', { name: NAME, phoneInput: '+48 601 234 567', email: 'zazolc@example.pl', properties: { miasto: 'Łódź' } });
  const other = await app.must(admin, 'contacts:create', { name: 'Someone Else', phoneInput: '+48 601 000 111' });
  await app.must(admin, 'consent:change', { contactId: c.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Formularz papierowy, sklep w Łodzi', basedOn: '' });
  await app.must(admin, 'consent:change', { contactId: other.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Other person', basedOn: '' });
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.a1', 'Proszę, STOP – nie piszcie już', soon)], { from: '48601234567', name: NAME }) });
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.a2', 'STOP', soon + 30)], { from: '48601234567', name: NAME }) });
  await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.b1', 'Hello from the other one', soon, '48601000111')], { from: '48601000111' }) });
  await app.must(admin, 'history:proof', { contactId: c.id });
  await app.must(admin, 'history:proof', { contactId: other.id });
  return { c, other };
};

const pdfText = (dir: string, name: string, base64: string) => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-']).toString();
};

describe('access export (Art. 15)', () => {
  it('JSON holds the contact, every event, inbound messages, review items and the audit entries about them, and nobody else', async () => {
    const { c, other } = await seed();
    const officer = await app.signIn('compliance_officer', 'Officer Ewa');
    const file = await app.must(officer, 'lifecycle:accessExport', { contactId: c.id });
    expect(file).toMatchObject({ mimeType: 'application/json', encoding: 'utf8' });
    expect(file.fileName).toMatch(/^personal-data-Zazolc-Gesla-Jazn-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(file.content) as AccessExportDocument;
    expect(doc.format).toBe('consent-desk/access@1');
    expect(doc.generatedBy.name).toBe('Officer Ewa');
    expect(doc.contact).toMatchObject({ id: c.id, name: NAME, email: 'zazolc@example.pl', waNumber: '+48601234567', properties: { miasto: 'Łódź' } });
    expect(doc.events.map((e) => e.status)).toEqual(['subscribed', 'unsubscribed']);
    expect(doc.events.every((e) => e.contactId === c.id)).toBe(true);
    expect(doc.subscriptions).toEqual([expect.objectContaining({ typeId, status: 'unsubscribed' })]);
    expect(doc.inboundMessages.map((m) => m.body)).toEqual(['Proszę, STOP – nie piszcie już', 'STOP']);
    expect(doc.reviewItems).toHaveLength(1);
    expect(doc.reviewItems[0]?.kind).toBe('stop_request');
    expect(doc.auditEntries.map((a) => a.action)).toEqual(['export.proof_json']);
    expect(file.content).not.toContain(other.id);
    expect(file.content).not.toContain('Hello from the other one');
    // The export itself is audited, so the next export lists it.
    const again = JSON.parse((await app.must(officer, 'lifecycle:accessExport', { contactId: c.id })).content) as AccessExportDocument;
    expect(again.auditEntries.map((a) => a.action)).toEqual(['export.proof_json', 'export.access_json']);
  });

  it('PDF in English and Polish reads back with the Polish letters intact', async () => {
    const { c } = await seed();
    expect(existsSync('/usr/bin/pdftotext'), 'pdftotext (Debian poppler-utils) is needed to read the PDF').toBe(true);
    // Hostile text: an emoji the font lacks, control characters, right-to-left and a very long word.
    const hostile = `Cześć 👋\u0007\u0000 مرحبا ${'x'.repeat(400)}`;
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.h1', hostile, Math.floor(Date.now() / 1000) + 90)], { from: '48601234567' }) });
    const en = await app.must(admin, 'lifecycle:accessExportPdf', { contactId: c.id, language: 'en' });
    const pl = await app.must(admin, 'lifecycle:accessExportPdf', { contactId: c.id, language: 'pl' });
    expect(en.fileName).toMatch(/-en\.pdf$/);
    expect(pl.fileName).toMatch(/-pl\.pdf$/);
    const enText = pdfText(app.dataDir, 'access-en.pdf', en.content);
    const plText = pdfText(app.dataDir, 'access-pl.pdf', pl.content);
    for (const text of [enText, plText]) {
      expect(text).toContain(NAME);
      expect(text).toContain('Formularz papierowy, sklep w Łodzi');
      expect(text).toContain('Proszę, STOP – nie piszcie już');
      expect(text).toContain('miasto = Łódź');
      expect(text).toContain('+48601234567');
    }
    expect(enText).toContain('Personal data held about you');
    expect(enText).toContain('Consent events (2), oldest first');
    expect(enText).toContain('Inbound messages (3)');
    expect(enText).toContain('Cześć');
    expect(enText).toContain('Review items (1)');
    expect(plText).toContain('Dane osobowe, które o Tobie przechowujemy');
    expect(plText).toContain('Zdarzenia zgody (2), od najstarszego');
    expect(plText).toContain('Wiadomości przychodzące (3)');
    expect(plText).toContain('zapisany → wypisany');
  });

  it('is refused to field agents, for unknown contacts and for malformed input, and writes nothing then', async () => {
    const { c } = await seed();
    const agent = await app.signIn('field_agent');
    const before = (await app.must(admin, 'audit:list', { offset: 0, limit: 500 })).total;
    const denied = await app.as(agent)('lifecycle:accessExport', { contactId: c.id });
    expect(denied.ok ? '' : denied.error.code).toBe('forbidden');
    const missing = await app.as(admin)('lifecycle:accessExport', { contactId: 'no-such-contact' });
    expect(missing.ok ? '' : missing.error.code).toBe('not_found');
    for (const input of [{}, { contactId: '' }, { contactId: c.id, language: 'de' }, { contactId: 'x'.repeat(500) }, { contactId: c.id, extra: true }]) {
      const r = await app.as(admin)('lifecycle:accessExportPdf', input as never);
      expect(r.ok ? '' : r.error.code).toBe('invalid_input');
    }
    expect((await app.must(admin, 'audit:list', { offset: 0, limit: 500 })).total).toBe(before);
  });
});
