import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/shared/consent/canonical-json';
import { digestOf } from '../../../src/main/proof/proof-service';
import { sealEvent } from '../../../src/main/consent/event-hash';
import type { ConsentEvent } from '../../../src/shared/domain';
import { consentEventSchema } from '../../../src/main/store/schemas/consent-schemas';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';
import { createHash } from 'node:crypto';
import { openAppStoreFile } from '../../helpers/app-store-file';

let app: TestApp;
let admin: Session;
let typeId: string;

async function seedHistory(contacts = 3, flips = 4): Promise<string[]> {
  typeId = (await app.must(admin, 'types:create', {
    name: 'WhatsApp marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski',
  })).id;
  const ids: string[] = [];
  for (let c = 0; c < contacts; c++) {
    const contact = await app.must(admin, 'contacts:create', { name: `Zażółć ${c}`, phoneInput: `+48 601 234 5${String(c).padStart(2, '0')}` });
    ids.push(contact.id);
    let basedOn = '';
    for (let f = 0; f < flips; f++) {
      const event = await app.must(admin, 'consent:change', {
        contactId: contact.id, typeId, action: f % 2 === 0 ? (f === 0 ? 'subscribe' : 'resubscribe') : 'unsubscribe',
        legalBasis: 'consent_with_notice', explanation: f === 1 && c === 0 ? '=HYPERLINK("http://evil")' : `Flip ${f} at the fair`, basedOn,
      });
      basedOn = event.id;
    }
  }
  return ids;
}

beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
});
afterEach(async () => {
  await app.dispose();
});

describe('account-wide history', () => {
  it('filters, pages, counts and charts the ledger', async () => {
    const [first] = await seedHistory();
    const page = await app.must(admin, 'consent:history', { limit: 5 });
    expect(page.total).toBe(12);
    expect(page.rows).toHaveLength(5);
    const sorted = [...page.rows].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id));
    expect(page.rows.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
    const second = await app.must(admin, 'consent:history', { limit: 5, offset: 10 });
    expect(second.rows).toHaveLength(2);
    expect((await app.must(admin, 'consent:history', { contactId: first ?? '' })).total).toBe(4);
    expect((await app.must(admin, 'consent:history', { status: 'unsubscribed' })).total).toBe(6);
    expect((await app.must(admin, 'consent:history', { search: 'hyperlink' })).total).toBe(1);
    expect((await app.must(admin, 'consent:history', { from: '2999-01-01' })).total).toBe(0);

    const stats = await app.must(admin, 'history:stats', {});
    expect(stats.total).toBe(12);
    expect(stats.bySource).toEqual({ manual: 12 });
    expect(stats.byLegalBasis).toEqual({ consent_with_notice: 12 });
    expect(stats.timeline.reduce((n, p) => n + p.optIns + p.optOuts, 0)).toBe(12);
    const facets = await app.must(admin, 'history:facets', {});
    expect(facets.actors.map((a) => a.name)).toEqual(['Admin']);
    expect(facets.devices).toEqual([app.services.deviceId]);

    // A new event shows up at once: the index follows the store.
    await app.must(admin, 'consent:change', { contactId: first ?? '', typeId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'late', basedOn: (await app.must(admin, 'consent:history', { contactId: first ?? '', limit: 1 })).rows[0]?.id ?? '' });
    expect((await app.must(admin, 'history:stats', {})).total).toBe(13);
  });

  it('exports CSV with formulas neutralised and JSON lines with hashes, and audits the exports', async () => {
    await seedHistory(2, 2);
    const officer = await app.signIn('compliance_officer', 'Olga Officer');
    const csv = await app.must(officer, 'history:exportCsv', {});
    expect(csv.rows).toBe(4);
    expect(csv.content.startsWith('\uFEFFoccurredAt,')).toBe(true);
    expect(csv.content).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.content).not.toMatch(/[,\n]=HYPERLINK/);
    // Excel in Polish expects semicolons; the same rows, the same neutralising.
    const semi = await app.must(officer, 'history:exportCsv', { delimiter: ';' });
    expect(semi.rows).toBe(4);
    expect(semi.content.startsWith('\uFEFFoccurredAt;recordedAt;contactId;')).toBe(true);
    expect(semi.content).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(semi.content.split('\r\n')[1]?.split(';').length).toBeGreaterThanOrEqual(21);
    await expect(app.as(officer)('history:exportCsv', { delimiter: '|' } as never)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const jsonl = await app.must(officer, 'history:exportJsonl', { status: 'subscribed' });
    const lines = jsonl.content.trim().split('\n').map((l) => JSON.parse(l) as ConsentEvent);
    expect(lines).toHaveLength(2);
    for (const e of lines) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await app.must(officer, 'audit:list', {});
    expect(audit.entries.slice(0, 2).map((e) => [e.action, e.actorName])).toEqual([
      ['export.history_jsonl', 'Olga Officer'],
      ['export.history_csv', 'Olga Officer'],
    ]);
    expect(audit.entries.map((e) => e.action)).toContain('types.create');
    expect(audit.entries.map((e) => e.action)).toContain('users.create');
  });
});

describe('integrity check', () => {
  it('passes on an untouched ledger and names events tampered through the storage layer', async () => {
    await seedHistory(2, 5);
    const clean = await app.must(admin, 'history:verify', {});
    expect(clean).toMatchObject({ ok: true, events: 10, devices: 1, counts: { altered: 0, removed: 0, inserted: 0, reordered: 0 } });
    expect(clean.heads[0]?.seq).toBe(10);

    // Bypass the app's append-only rule: write straight to the RxDB storage instance.
    const storage = app.services.db.consent_events.storageInstance;
    const all = (await app.services.db.consent_events.find({ sort: [{ seq: 'asc' }] }).exec()).map((d) => d.toMutableJSON(true));
    const bySeq = (s: number) => {
      const d = all.find((x) => x.seq === s);
      if (!d) throw new Error(`no seq ${s}`);
      return d;
    };
    const e3 = bySeq(3);
    const e6 = bySeq(6);
    await storage.bulkWrite([
      { previous: e3, document: { ...e3, explanation: 'rewritten', _rev: `${e3._rev.split('-')[0] ?? '1'}9-tamper`, _meta: { lwt: Date.now() } } },
      { previous: e6, document: { ...e6, _deleted: true, _rev: `${e6._rev.split('-')[0] ?? '1'}9-tamper`, _meta: { lwt: Date.now() } } },
    ], 'tamper');
    // An event inserted with a well-formed hash but outside the chain.
    const e8 = bySeq(8);
    const { _rev, _meta, _attachments, _deleted, ...plain } = e8;
    void _rev; void _meta; void _attachments; void _deleted;
    const intruder = sealEvent({ ...plain, id: 'intruder', explanation: 'never happened' }, e8.prevHash);
    await app.services.db.consent_events.insert(intruder);

    const report = await app.must(admin, 'history:verify', {});
    expect(report.ok).toBe(false);
    const found = report.issues.map((i) => [i.category, i.kind, i.eventId]);
    expect(found).toContainEqual(['altered', 'hash_mismatch', e3.id]);
    expect(found).toContainEqual(['inserted', 'duplicate_seq', 'intruder']);
    const gap = report.issues.find((i) => i.kind === 'seq_gap');
    expect(gap).toMatchObject({ category: 'removed', missingFrom: 6, missingTo: 6 });
  });
});

describe('tampering with the SQLite file while the app is closed', () => {
  it('finds an edited document, a deleted row and two rows whose seq were swapped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'consent-desk-tamper-'));
    await app.dispose();
    app = await openTestApp({ dataDir });
    admin = await app.signIn('admin');
    await seedHistory(2, 6);
    expect((await app.must(admin, 'history:verify', {})).ok).toBe(true);
    await app.close();

    const file = join(dataDir, 'consentdesk.sqlite');
    expect(existsSync(file)).toBe(true);
    const sql = openAppStoreFile(dataDir);
    const table = `"consent_events-${consentEventSchema.version}"`;
    // `key` is the row's primary key (the store's encoding of the id), `id` the event's id.
    const rows = sql.prepare(`SELECT id, data FROM ${table} WHERE deleted = 0`).all() as Array<{ id: Buffer; data: string }>;
    const docs = rows.map((r) => {
      const doc = JSON.parse(r.data) as ConsentEvent;
      return { key: r.id, id: doc.id, doc };
    });
    const at = (seq: number) => {
      const d = docs.find((x) => x.doc.seq === seq);
      if (!d) throw new Error(`no seq ${seq}`);
      return d;
    };
    const edited = at(2);
    sql.prepare(`UPDATE ${table} SET data = ? WHERE id = ?`).run(JSON.stringify({ ...edited.doc, legalBasis: 'legitimate_interest_other' }), edited.key);
    const removed = at(5);
    sql.prepare(`DELETE FROM ${table} WHERE id = ?`).run(removed.key);
    const [s9, s10] = [at(9), at(10)];
    sql.prepare(`UPDATE ${table} SET data = ? WHERE id = ?`).run(JSON.stringify({ ...s9.doc, seq: 10 }), s9.key);
    sql.prepare(`UPDATE ${table} SET data = ? WHERE id = ?`).run(JSON.stringify({ ...s10.doc, seq: 9 }), s10.key);
    sql.close();

    app = await openTestApp({ dataDir });
    const again = (await app.services.users.list())[0];
    const session: Session = { userId: again?.id ?? null };
    const report = await app.must(session, 'history:verify', {});
    expect(report.ok).toBe(false);
    const found = report.issues.map((i) => [i.category, i.kind, i.eventId]);
    expect(found).toContainEqual(['altered', 'hash_mismatch', edited.id]);
    expect(report.issues.find((i) => i.kind === 'seq_gap')).toMatchObject({ category: 'removed', missingFrom: 5, missingTo: 5, relatedEventId: at(4).id });
    // Both swapped events no longer match their hashes, and the chain is out of order there.
    expect(found).toContainEqual(['altered', 'hash_mismatch', s9.id]);
    expect(found).toContainEqual(['altered', 'hash_mismatch', s10.id]);
    expect(report.issues.some((i) => i.category === 'reordered' && (i.eventId === s9.id || i.eventId === s10.id))).toBe(true);
    expect(report.counts.removed).toBe(1);
  });
});

describe('review queue', () => {
  it('lists a stop request with its message, and a compliance officer confirms it as an opt-out', async () => {
    await seedHistory(1, 1);
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.77', 'please stop messaging me', 1_767_000_100, '48601234500')], { from: '48601234500' }) });
    const officer = await app.signIn('compliance_officer', 'Olga Officer');
    const agent = await app.signIn('field_agent', 'Filip Agent');
    const list = await app.must(officer, 'review:list', {});
    expect(list.open).toBe(1);
    const item = list.items[0];
    if (!item) throw new Error('no item');
    expect(item).toMatchObject({ kind: 'stop_request', state: 'open', contactName: 'Zażółć 0' });
    expect(item.evidence.messageText).toBe('please stop messaging me');

    const refused = await app.as(agent)('review:resolve', { id: item.id, decision: 'confirm_stop', reason: '' });
    expect(refused.ok ? '' : refused.error.code).toBe('forbidden');
    const noReason = await app.as(officer)('review:resolve', { id: item.id, decision: 'dismiss', reason: '  ' });
    expect(noReason.ok ? '' : noReason.error.code).toBe('explanation_required');
    const wrongKind = await app.as(officer)('review:resolve', { id: item.id, decision: 'keep_opt_out', reason: '' });
    expect(wrongKind.ok ? '' : wrongKind.error.code).toBe('invalid_input');
    expect((await app.must(officer, 'review:list', {})).open).toBe(1);

    const resolved = await app.must(officer, 'review:resolve', { id: item.id, decision: 'confirm_stop', reason: 'Clear request to stop' });
    expect(resolved.state).toBe('resolved');
    expect(resolved.resolutionDetail?.eventIds).toHaveLength(1);
    const events = await app.must(officer, 'consent:history', { source: 'review' });
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]).toMatchObject({ status: 'unsubscribed', actor: { name: 'Olga Officer' }, evidence: { reviewItemId: item.id } });
    const twice = await app.as(officer)('review:resolve', { id: item.id, decision: 'dismiss', reason: 'again' });
    expect(twice.ok ? '' : twice.error.code).toBe('conflict');
    expect((await app.must(officer, 'review:list', { state: 'resolved' })).items).toHaveLength(1);
    expect((await app.must(officer, 'audit:list', { action: 'review.resolve' })).total).toBe(1);
  });
});

describe('consent proof', () => {
  it('builds a proof whose digest and event hashes a third party can recompute, and a PDF with Polish letters', async () => {
    const [contactId] = await seedHistory(1, 3);
    const officer = await app.signIn('compliance_officer', 'Łukasz Żółw');
    const proof = await app.must(officer, 'history:proof', { contactId: contactId ?? '' });
    expect(proof.document.events).toHaveLength(3);
    expect(proof.document.allChecksPassed).toBe(true);
    expect(proof.sha256).toBe(createHash('sha256').update(canonicalJson(proof.document)).digest('hex'));
    expect(digestOf(proof.document)).toBe(proof.sha256);
    const missing = await app.as(officer)('history:proof', { contactId: 'nope' });
    expect(missing.ok ? '' : missing.error.code).toBe('not_found');

    const pdf = await app.must(officer, 'history:proofPdf', { contactId: contactId ?? '' });
    const bytes = Buffer.from(pdf.content, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'consent-proof-'));
    const path = join(dir, 'proof.pdf');
    writeFileSync(path, bytes);
    // poppler-utils is installed by .ci/run; without it this check cannot read the PDF.
    expect(existsSync('/usr/bin/pdftotext'), 'pdftotext (Debian poppler-utils) is needed to read the proof PDF').toBe(true);
    {
      const text = execFileSync('pdftotext', ['-layout', path, '-']).toString();
      expect(text).toContain('Consent proof');
      expect(text).toContain('Zażółć 0');
      expect(text).toContain('Łukasz Żółw');
      // Each proof carries its own generation time, so the PDF prints its own digest.
      expect(text.replace(/\s+/g, '')).toMatch(/\(canonicalJSON\)[0-9a-f]{64}Result:all3events/);
    }
    if (existsSync('/usr/bin/pdftoppm')) {
      // A picture of the first page to look at; test-results/ may not exist yet when this file runs alone.
      mkdirSync('test-results', { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path, join('test-results', 'proof-page')]);
    }
  });
});
