import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consentEventSchema, consentStateSchema } from '../../../src/main/store/schemas/consent-schemas';
import type { Session } from '../../../src/main/api/handler-types';
import { MARKETING_TYPE, openTestApp, type TestApp } from '../../helpers/temp-app';
import { openAppStoreFile } from '../../helpers/app-store-file';

// The consent_state projection is inside the integrity check: a row edited in the file, or a
// row left behind when its event was deleted, is reported, repaired from the ledger (audited),
// and may-I-message answers from the repaired row.
let app: TestApp | undefined;
let dataDir = '';
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the projection check', () => {
  it('finds a tampered row and one whose event was deleted, repairs both, and may-I-message is not fooled', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'consent-desk-projection-'));
    app = await openTestApp({ dataDir });
    const admin = await app.signIn('admin');
    const typeId = (await app.must(admin, 'types:create', MARKETING_TYPE)).id;
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ewa = await app.must(admin, 'contacts:create', { name: 'Ewa', phoneInput: '+48 601 234 568' });
    const change = (contactId: string, action: 'subscribe' | 'unsubscribe', basedOn = '') =>
      app?.must(admin, 'consent:change', { contactId, typeId, action, legalBasis: 'consent_with_notice', explanation: 'form', basedOn });
    const subscribed = await change(jan.id, 'subscribe');
    await change(jan.id, 'unsubscribe', subscribed?.id);
    const ewaEvent = await change(ewa.id, 'subscribe');
    const clean = await app.must(admin, 'history:verify', {});
    expect(clean).toMatchObject({ ok: true, projection: { differenceCount: 0, repaired: false }, quarantined: 0 });
    await app.close();

    const sql = openAppStoreFile(dataDir);
    const states = `"consent_state-${consentStateSchema.version}"`;
    const rows = sql.prepare(`SELECT id, data FROM ${states} WHERE deleted = 0`).all() as Array<{ id: Buffer; data: string }>;
    const janRow = rows.find((r) => (JSON.parse(r.data) as { contactId: string }).contactId === jan.id);
    if (!janRow) throw new Error('no projection row for Jan');
    sql.prepare(`UPDATE ${states} SET data = ? WHERE id = ?`).run(JSON.stringify({ ...JSON.parse(janRow.data), status: 'subscribed' }), janRow.id);
    const events = `"consent_events-${consentEventSchema.version}"`;
    const eventRows = sql.prepare(`SELECT id, data FROM ${events}`).all() as Array<{ id: Buffer; data: string }>;
    const ewaRow = eventRows.find((r) => (JSON.parse(r.data) as { id: string }).id === ewaEvent?.id);
    if (!ewaRow) throw new Error('no event row for Ewa');
    sql.prepare(`DELETE FROM ${events} WHERE id = ?`).run(ewaRow.id);
    sql.close();

    app = await openTestApp({ dataDir });
    const session: Session = { userId: admin.userId };
    const may = async (contactId: string) => (await (app as TestApp).must(session, 'consent:mayMessage', { contactId, typeId, category: 'marketing' })).allowed;
    // The tampering works on the projection alone (this is what the check must catch).
    expect(await may(jan.id)).toBe(true);
    expect(await may(ewa.id)).toBe(true);

    const report = await app.must(session, 'history:verify', {});
    expect(report.ok).toBe(false);
    expect(report.projection).toMatchObject({ differenceCount: 2, repaired: true });
    expect(report.projection.differences).toEqual(expect.arrayContaining([
      expect.objectContaining({ contactId: jan.id, stored: 'subscribed', ledger: 'unsubscribed' }),
      expect.objectContaining({ contactId: ewa.id, stored: 'subscribed', ledger: 'none' }),
    ]));
    expect(await may(jan.id)).toBe(false);
    expect(await may(ewa.id)).toBe(false);
    expect((await app.services.audit.recent('integrity.projection_repaired', 5)).length).toBe(1);
    expect((await app.must(session, 'history:verify', {})).projection).toMatchObject({ differenceCount: 0, repaired: false });
  });
});
