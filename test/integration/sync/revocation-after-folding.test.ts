import { describe, expect, it } from 'vitest';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

// A revocation that arrives after the revoked device's later events were already folded:
// those events stop counting (ledger/discounted-events.ts, sync/revocation-refold.ts). Two
// devices and a revoked third, through a real CouchDB-protocol server.
const bed = useSyncTestBed();
const BUSINESS = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' };

const allowed = async (d: Device, contactId: string, typeId: string) => (await d.must('consent:mayMessage', { contactId, typeId, category: 'marketing' })).allowed;
const statusOn = async (d: Device, contactId: string, typeId: string) => (await d.states()).find((s) => s.contactId === contactId && s.typeId === typeId)?.status;

describe('revocation after folding', () => {
  it('a revoked device\'s events folded before the revocation arrived no longer count; a genuine STOP stands', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const c = await bed.open('C');
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
    const jan = await a.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ewa = await a.must('contacts:create', { name: 'Ewa', phoneInput: '+48 601 234 568' });
    // Ewa subscribes on A and says STOP on B: genuine events of two enrolled devices.
    const ewaSubscribed = await a.must('consent:change', { contactId: ewa.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await waitFor('B and C have both contacts and the subscribe', async () => {
      for (const d of [b, c]) if ((await d.events()).length !== 1 || (await d.contacts()).length !== 2) return false;
      return true;
    }, 30_000);
    const ewaStop = await b.must('consent:change', { contactId: ewa.id, typeId: type.id, action: 'unsubscribe', legalBasis: '', explanation: 'STOP', basedOn: ewaSubscribed.id });
    await waitFor('C has the STOP', async () => (await statusOn(c, ewa.id, type.id)) === 'unsubscribed', 30_000);

    // A goes offline and revokes C: it accepts C's events up to what A holds (none).
    await a.must('sync:stop', {});
    const cId = (await c.must('devices:status', {})).deviceId;
    const revoked = await a.must('devices:revoke', { deviceId: cId });
    expect(revoked.status).toBe('revoked');

    // C, not yet told, subscribes Jan and re-subscribes Ewa over her STOP; B takes both in and folds them.
    const janByC = await c.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'by the revoked device', basedOn: '' });
    const ewaByC = await c.must('consent:change', { contactId: ewa.id, typeId: type.id, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'by the revoked device', basedOn: ewaStop.id });
    await waitFor('B counts C\'s events', async () => (await allowed(b, jan.id, type.id)) && (await statusOn(b, ewa.id, type.id)) === 'subscribed', 30_000);

    // A comes back: the revocation reaches B, which no longer counts C's later events.
    await a.must('sync:start', {});
    await waitFor('B folds Jan and Ewa again without C\'s events', async () =>
      !(await allowed(b, jan.id, type.id)) && (await statusOn(b, ewa.id, type.id)) === 'unsubscribed', 40_000);
    expect(await allowed(b, ewa.id, type.id)).toBe(false);
    // The events stay in B's ledger (append-only) and the integrity check reports them as failing.
    const held = (await b.events()).map((e) => e.id);
    expect(held).toEqual(expect.arrayContaining([janByC.id, ewaByC.id]));
    const verdict = await b.must('history:verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.signatures.failing).toBe(2);
    expect(verdict.signatures.problems.map((p) => [p.eventId, p.reason]).sort()).toEqual([[janByC.id, 'device_revoked'], [ewaByC.id, 'device_revoked']].sort());
    // The projection check agrees with the re-fold: nothing to repair.
    expect(verdict.projection.differenceCount).toBe(0);
    // The re-fold is audited.
    const bId = (await b.must('devices:status', {})).deviceId;
    const audited = (await b.must('audit:list', { action: 'integrity.revocation_refolded', offset: 0, limit: 10 })).entries.filter((e) => e.deviceId === bId);
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details).toMatchObject({ deviceId: cId, upToSeq: 0, events: 2, contacts: 2 });
    // A never took C's later events in; its statuses say the same.
    await waitFor('A keeps them aside', async () => {
      const kept = new Set((await a.must('sync:quarantine', {})).map((q) => q.docId));
      return kept.has(janByC.id) && kept.has(ewaByC.id);
    }, 60_000);
    const onA = new Map((await a.must('sync:quarantine', {})).map((q) => [q.docId, q.reason]));
    // C's first event after the revocation is refused as such; its next one then lacks its predecessor.
    expect(onA.get(janByC.id)).toBe('device_revoked');
    expect(['device_revoked', 'missing_previous']).toContain(onA.get(ewaByC.id));
    expect(await allowed(a, jan.id, type.id)).toBe(false);
    expect(await statusOn(a, ewa.id, type.id)).toBe('unsubscribed');
  }, 240_000);
});
