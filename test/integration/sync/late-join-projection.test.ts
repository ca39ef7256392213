import { describe, expect, it } from 'vitest';
import { PULL_BATCH_SIZE } from '../../../src/main/sync/replication-session';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import { insertDocuments } from '../../../src/main/store/insert-documents';
import { withoutStorageFields } from '../../../src/main/store/plain-documents';
import type { ConsentEvent, ConsentStateRow, ConsentStatus, Contact, SubscriptionType } from '../../../src/shared/domain';
import type { CouchServer } from '../../helpers/couch-server';
import { seededRandom } from '../../helpers/seeded-random';
import { outsideDevice } from '../../helpers/sync-outside-device';
import { SYNC_DB, waitFor } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { openTestApp } from '../../helpers/temp-app';

const bed = useSyncTestBed();

// Six pages of the pull: enough boundaries, small enough for CI's two cores.
const EVENTS = 6_000;
const CONTACTS = 300;
// Devices with keys of their own that ask to pair; the late device (the root) approves them.
const DEVICES = ['dev-1a7e000000000001', 'dev-1a7e000000000002', 'dev-1a7e000000000003'].map((id) => outsideDevice(id));
const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

const types: SubscriptionType[] = ['news', 'offers'].map((name) => ({
  id: `type-${name}`, name, purpose: 'marketing', businessNumber: '+48221234567', phoneNumberId: '', businessName: 'Sklep',
  validForMonths: 0, archived: false, createdAt: at(0), updatedAt: at(0),
}));
const contacts: Contact[] = Array.from({ length: CONTACTS }, (_, i) => ({
  id: `contact-${String(i).padStart(4, '0')}`, name: `Contact ${i}`, email: '', phoneInput: '', waNumber: '', phoneValid: false,
  properties: {}, tags: [], createdAt: at(0), updatedAt: at(0), lastInboundAt: '',
}));

/*
 * Every contact has events all through the ledger (contact = i mod CONTACTS), so each page the
 * late joiner pulls ends inside the histories of most contacts. Three devices with clocks that
 * disagree (one runs 40 minutes behind) put events on the server in an order that is not their
 * fold order; opt-outs by the contact and opt-ins by staff that did or did not see them give
 * the fold its hard cases (an unseen opt-out wins over a later staff opt-in).
 */
function ledger(): ConsentEvent[] {
  const random = seededRandom(2024);
  const heads = DEVICES.map(() => ({ seq: 0, hash: '' }));
  const latest = new Map<string, string>();
  const events: ConsentEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const device = Math.floor(random() * DEVICES.length);
    const head = heads[device] ?? { seq: 0, hash: '' };
    const contact = contacts[i % CONTACTS] ?? contacts[0];
    const typeId = random() < 0.6 ? 'type-news' : 'type-offers';
    const key = `${contact?.id}|${typeId}`;
    const byContact = random() < 0.3;
    const status: ConsentStatus = byContact ? 'unsubscribed' : random() < 0.8 ? 'subscribed' : 'not_specified';
    const occurred = i * 60_000 - (device === 2 ? 40 * 60_000 : 0) + Math.floor(random() * 30_000);
    const signer = DEVICES[device] ?? DEVICES[0];
    if (!signer) throw new Error('no device');
    const event = signer.seal({
      id: `e-${String(i).padStart(6, '0')}`, contactId: contact?.id ?? '', typeId, status, previousStatus: 'not_specified',
      source: byContact ? 'keyword' : 'manual', legalBasis: status === 'subscribed' ? 'consent_with_notice' : '', explanation: '',
      actor: byContact ? { kind: 'contact', id: contact?.id ?? '', name: contact?.name ?? '' } : { kind: 'user', id: 'u1', name: 'Staff' },
      evidence: {}, occurredAt: at(occurred), recordedAt: at(occurred + 1000), deviceId: signer.deviceId, seq: head.seq + 1,
      // Staff on the device whose clock is behind often did not see the latest change.
      basedOn: device === 2 && random() < 0.5 ? '' : (latest.get(key) ?? ''),
    }, head.hash);
    heads[device] = { seq: event.seq, hash: event.hash };
    latest.set(key, event.id);
    events.push(event);
  }
  return events;
}

async function fillServer(server: CouchServer, collection: string, docs: ReadonlyArray<{ id: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += 5000) {
    const body = JSON.stringify({ docs: docs.slice(i, i + 5000).map(({ id, ...rest }) => ({ _id: id, ...rest })) });
    const r = await fetch(`${server.url}/${remoteDatabaseName(SYNC_DB, collection)}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (!r.ok) throw new Error(`filling ${collection}: ${r.status}`);
  }
}

const comparable = (rows: readonly ConsentStateRow[]) =>
  rows.map(({ updatedAt: _fold, ...row }) => row).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('a device joining late', () => {
  it(`projects ${EVENTS.toLocaleString('en')} pulled events exactly as the device that holds them, across page boundaries`, async () => {
    const events = ledger();
    // Pages end inside contacts' histories: the first contact has events on both sides of each boundary.
    for (let end = PULL_BATCH_SIZE; end < EVENTS; end += PULL_BATCH_SIZE) {
      expect(events.slice(end - CONTACTS, end).some((e) => e.contactId === contacts[0]?.id)).toBe(true);
      expect(events.slice(end, end + CONTACTS).some((e) => e.contactId === contacts[0]?.id)).toBe(true);
    }

    // The source: an app that holds the ledger and projected it itself.
    const source = await openTestApp();
    let expected: ReturnType<typeof comparable>;
    try {
      const { db, ledger: sourceLedger } = source.services;
      await insertDocuments(db.subscription_types, types);
      await insertDocuments(db.contacts, contacts);
      for (let i = 0; i < events.length; i += 2000) await insertDocuments(db.consent_events, events.slice(i, i + 2000));
      await sourceLedger.settled();
      expected = comparable((await db.consent_state.find().exec()).map((d) => withoutStorageFields(d.toMutableJSON()) as ConsentStateRow));
    } finally {
      await source.dispose();
    }
    expect(expected.length).toBe(CONTACTS * types.length);
    expect(new Set(expected.map((r) => r.status)).size).toBe(3);

    const server = bed.server();
    await fillServer(server, 'subscription_types', types);
    await fillServer(server, 'contacts', contacts);
    await fillServer(server, 'consent_events', events);

    await fillServer(server, 'audit_log', DEVICES.map((d) => d.pairingEntry()));

    const late = await bed.open('Late');
    for (const d of DEVICES) {
      await waitFor(`Late receives ${d.deviceId}'s pairing request`, async () => (await late.call('devices:approve', { code: d.code })).ok);
    }
    await waitFor(`${EVENTS} events on the late device`, async () => (await late.eventCount()) === EVENTS, 600_000);
    await late.settled();
    await waitFor('the projection to cover every subscription', async () => (await late.stateCount()) === expected.length, 120_000);
    await late.settled();
    const projected = comparable(await late.states());
    expect(projected).toEqual(expected);
    // Events checked before their predecessor was held wait aside and enter on a second look;
    // once everything is in, none may be left waiting.
    const aside = async () => late.must('sync:quarantine', {});
    await waitFor('no event left aside', async () => (await aside()).every((e) => e.collection !== 'consent_events'), 300_000);
    expect(await late.eventCount()).toBe(EVENTS);
    // The types were put on the server unsigned, as no device of this organisation wrote them:
    // new unsigned types are kept aside (issue 25), and nothing else is.
    expect((await aside()).map((e) => `${e.collection} ${e.docId} ${e.reason}`).sort()).toEqual(
      types.map((t) => `subscription_types ${t.id} unsigned_change`),
    );
  }, 900_000);
});
