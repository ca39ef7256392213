import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../../src/shared/domain';
import { sealEvent } from '../../../src/main/consent/event-hash';
import { fileKeptLinks, provenKeptLinks } from '../../../src/main/integrity/kept-links';
import { openTestApp, type TestApp } from '../../helpers/temp-app';

// What a filed copy of another device's chain link must prove before the chain check
// puts it back (sync-shared-ids.test.ts shows the whole flow across two devices).

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function ledgerWithOneEvent(): Promise<{ app: TestApp; kept: ConsentEvent }> {
  const opened = await openTestApp();
  const admin = await opened.signIn('admin');
  const type = await opened.must(admin, 'types:create', { name: 'News', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1', businessName: 'Shop' });
  const contact = await opened.must(admin, 'contacts:create', { name: 'Ola', phoneInput: '+48 601 234 568' });
  await opened.services.ledger.append([{
    id: 'wamid.one:x', contactId: contact.id, typeId: type.id, status: 'subscribed', source: 'keyword',
    legalBasis: 'consent_with_notice', explanation: 'START', actor: { kind: 'contact', id: contact.id, name: 'Ola' }, evidence: {},
    occurredAt: '2026-11-20T10:00:00.000Z',
  }]);
  const [kept] = (await opened.services.db.consent_events.find().exec()).map((d) => d.toMutableJSON() as ConsentEvent);
  if (!kept) throw new Error('no event');
  return { app: opened, kept };
}

// Another device's copy of the same id, sealed into that device's chain at seq 4.
const otherCopy = (kept: ConsentEvent, change: Partial<ConsentEvent> = {}): ConsentEvent => {
  const { hash, prevHash, ...content } = kept;
  void hash; void prevHash;
  return sealEvent({ ...content, deviceId: 'device-other', seq: 4, recordedAt: '2026-11-20T11:00:00.000Z', ...change }, 'f'.repeat(64));
};

describe('kept chain links', () => {
  it('accepts a sealed copy of a fact the ledger holds, once, however often it is filed', async () => {
    const opened = await ledgerWithOneEvent();
    app = opened.app;
    const db = app.services.db;
    const copy = otherCopy(opened.kept);
    await fileKeptLinks(db, 'device-other', '2026-11-20T12:00:00.000Z', [copy, opened.kept]);
    await fileKeptLinks(db, 'device-other', '2026-11-20T12:00:01.000Z', [copy, opened.kept]);
    expect(await db.audit_log.count({ selector: { action: 'ledger.link_kept' } }).exec()).toBe(2);
    expect(await provenKeptLinks(db, 'device-other')).toEqual([copy]);
    // The ledger's own copy sits where it was sealed: nothing to put back for its device.
    expect(await provenKeptLinks(db, opened.kept.deviceId)).toEqual([]);
  });

  it('refuses copies that would change a consent, are altered, or name an id the ledger lacks', async () => {
    const opened = await ledgerWithOneEvent();
    app = opened.app;
    const db = app.services.db;
    const otherFact = otherCopy(opened.kept, { status: 'unsubscribed' });
    const altered = { ...otherCopy(opened.kept, { seq: 5 }), explanation: 'edited after sealing' };
    const unknownId = otherCopy(opened.kept, { id: 'wamid.never-recorded:x', seq: 6 });
    await fileKeptLinks(db, 'device-other', '2026-11-20T12:00:00.000Z', [otherFact, altered, unknownId]);
    expect(await db.audit_log.count({ selector: { action: 'ledger.link_kept' } }).exec()).toBe(3);
    expect(await provenKeptLinks(db, 'device-other')).toEqual([]);
  });
});
