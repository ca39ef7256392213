import { describe, expect, it } from 'vitest';
import { sealEvent } from '../../../src/main/consent/event-hash';
import type { ConsentEvent } from '../../../src/shared/domain';
import { forge, forgeRaw } from '../../helpers/couch-forge';
import { outsideDevice } from '../../helpers/sync-outside-device';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { TEST_SECRET } from '../../helpers/test-secret';

// A CouchDB-protocol server that lies: documents PUT straight into its databases, bypassing
// every device. Each must be kept aside on arrival with its reason, and genuine work (a STOP
// recorded on another device) must still take effect everywhere.
const bed = useSyncTestBed();

const BUSINESS = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' };
const FORGED_DEVICE = 'dev-0f0f0f0f0f0f0f0f';

async function setUp() {
  const a = await bed.open('A');
  const b = await bed.open('B');
  const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
  const jan = await a.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
  const ewa = await a.must('contacts:create', { name: 'Ewa', phoneInput: '+48 601 234 568' });
  await a.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
  await waitFor('B knows both contacts and Jan subscribed', async () => {
    const answer = await b.call('consent:mayMessage', { contactId: jan.id, typeId: type.id, category: 'marketing' });
    return answer.ok && answer.value.allowed && (await b.contacts()).length === 2;
  });
  return { a, b, typeId: type.id, jan: jan.id, ewa: ewa.id };
}

const mayMarket = async (d: Device, contactId: string, typeId: string) =>
  (await d.must('consent:mayMessage', { contactId, typeId, category: 'marketing' })).allowed;

const reasonsOf = async (d: Device) => new Map((await d.must('sync:quarantine', {})).map((q) => [q.docId, q.reason]));

// A subscribe of `contactId` that looks like the app wrote it, sealed by an attacker (the
// hash has no secret in it).
function forgedSubscribe(contactId: string, typeId: string, over: Partial<ConsentEvent> & { id: string }): ConsentEvent {
  const { prevHash = '', ...rest } = over;
  return sealEvent(
    {
      contactId,
      typeId,
      status: 'subscribed',
      previousStatus: 'not_specified',
      source: 'manual',
      legalBasis: 'consent_with_notice',
      explanation: 'forged',
      actor: { kind: 'user', id: 'u-x', name: 'Mallory' },
      evidence: {},
      occurredAt: '2030-01-01T00:00:00.000Z',
      recordedAt: '2030-01-01T00:00:00.000Z',
      deviceId: FORGED_DEVICE,
      seq: 1,
      basedOn: '',
      ...rest,
    },
    prevHash,
  );
}

describe('a hostile sync server cannot change a status', () => {
  it('forged, malformed, oversized, replayed and orphan events are kept aside; a genuine STOP still lands everywhere', async () => {
    const { a, b, typeId, jan, ewa } = await setUp();
    const server = bed.server();
    const genuine = (await a.events()).find((e) => e.contactId === jan) as unknown as ConsentEvent;
    expect(genuine).toBeDefined();

    // Wrong hash: a subscribe for Ewa whose content no longer matches its hash.
    const altered = forgedSubscribe(ewa, typeId, { id: 'forged-wrong-hash', deviceId: genuine.deviceId, seq: genuine.seq + 1, prevHash: genuine.hash });
    await forge(server, 'consent_events', { ...altered, explanation: 'edited after sealing' });
    // Malformed: no actor, seq "x", for a real contact.
    const { actor: _actor, ...noActor } = forgedSubscribe(jan, typeId, { id: 'forged-malformed' });
    await forge(server, 'consent_events', { ...noActor, seq: 'x' as unknown as number });
    // 8 MB of explanation.
    await forge(server, 'consent_events', forgedSubscribe(ewa, typeId, { id: 'forged-huge', explanation: 'x'.repeat(8 * 1024 * 1024) }));
    // A correctly sealed first event of a new device, for a contact nobody has.
    await forge(server, 'consent_events', forgedSubscribe('c-nobody', typeId, { id: 'forged-orphan' }));
    // A replay of A's genuine event under a new id, resealed: its seq is already taken.
    await forge(server, 'consent_events', forgedSubscribe(ewa, typeId, { ...genuine, id: 'forged-replay', contactId: ewa, prevHash: genuine.prevHash }));
    // A "next link" of A that links to nothing A wrote.
    await forge(server, 'consent_events', forgedSubscribe(ewa, typeId, { id: 'forged-link', deviceId: genuine.deviceId, seq: genuine.seq + 1, prevHash: 'f'.repeat(64) }));
    // A contact whose properties carry prototype keys. (pouchdb-server drops "__proto__" as it
    // stores; CouchDB keeps it: arrival-checks.test.ts checks that key as CouchDB delivers it.)
    await forgeRaw(server, 'contacts', 'c-proto', JSON.stringify({
      name: 'Proto', email: '', phoneInput: '', waNumber: '', phoneValid: false, tags: [], createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z', lastInboundAt: '', properties: {},
    }).replace('"properties":{}', '"properties":{"__proto__":{"isAdmin":"yes"},"constructor":"x"}'));

    const expected = {
      'forged-wrong-hash': 'hash_mismatch',
      'forged-malformed': 'malformed',
      'forged-huge': 'too_large',
      'forged-orphan': 'missing_contact',
      'forged-replay': 'seq_taken',
      'forged-link': 'broken_link',
      'c-proto': 'forbidden_key',
    };
    for (const d of [a, b]) {
      // On a timeout the comparison below says which document is missing or why it differs.
      await waitFor(`${d.label} keeps every forged document aside`, async () => (await reasonsOf(d)).size >= Object.keys(expected).length, 15_000).catch(() => undefined);
      expect(Object.fromEntries(await reasonsOf(d))).toEqual(expected);
      expect((await d.eventIds()).filter((id) => id.startsWith('forged-'))).toEqual([]);
      expect((await d.contacts()).map((c) => c.id)).not.toContain('c-proto');
      expect(await mayMarket(d, ewa, typeId)).toBe(false);
    }

    // A genuine STOP on B reaches A despite the malformed event for the same contact.
    const stop = await b.must('consent:change', { contactId: jan, typeId, action: 'unsubscribe', legalBasis: '', explanation: 'asked by phone', basedOn: genuine.id });
    await waitFor('A applies B\'s STOP', async () => !(await mayMarket(a, jan, typeId)));
    expect(await mayMarket(b, jan, typeId)).toBe(false);
    const history = await a.call('consent:history', { contactId: jan, offset: 0, limit: 50 });
    expect(history.ok).toBe(true);
    if (history.ok) expect(history.value.rows.map((r) => r.id)).toContain(stop.id);

    // Compliance officers see the problems; field agents do not.
    const officer = await a.must('users:create', { name: 'Olga', role: 'compliance_officer', secret: TEST_SECRET });
    const agent = await a.must('users:create', { name: 'Adam', role: 'field_agent', secret: TEST_SECRET });
    expect((await a.callAs({ userId: officer.id }, 'sync:quarantine', {})).ok).toBe(true);
    const refused = await a.callAs({ userId: agent.id }, 'sync:quarantine', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
  }, 240_000);

  it('an event that arrives before its predecessor waits aside and enters once the chain is whole', async () => {
    const { a, typeId, ewa } = await setUp();
    const server = bed.server();
    // A device enrolled the real way: its pairing request reaches A, whose admin approves its code.
    const outside = outsideDevice('dev-1111111111111111');
    await forge(server, 'audit_log', outside.pairingEntry());
    await waitFor('A receives the pairing request', async () => (await a.call('devices:approve', { code: outside.code })).ok);
    const { hash: _h, prevHash: _p, sig: _s, ...content } = forgedSubscribe(ewa, typeId, { id: 'late-1', status: 'unsubscribed' });
    const first = outside.seal({ ...content, id: 'late-1' }, '');
    const second = outside.seal({ ...content, id: 'late-2', seq: 2 }, first.hash);
    await forge(server, 'consent_events', second);
    await waitFor('A keeps the second link aside', async () => (await reasonsOf(a)).get('late-2') === 'missing_previous');
    await forge(server, 'consent_events', first);
    await waitFor('both links enter A\'s ledger', async () => (await a.eventIds()).filter((id) => id.startsWith('late-')).length === 2);
    await waitFor('the quarantine empties', async () => (await reasonsOf(a)).size === 0);
  }, 180_000);
});
