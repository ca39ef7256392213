import { describe, expect, it } from 'vitest';
import { sealEvent } from '../../../src/main/consent/event-hash';
import type { ConsentEvent } from '../../../src/shared/domain';
import { forge, serverDoc } from '../../helpers/couch-forge';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { outsideDevice } from '../../helpers/sync-outside-device';
import { TEST_SECRET } from '../../helpers/test-secret';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

const bed = useSyncTestBed();
const BUSINESS = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' };

describe('device enrolment', () => {
  it('the first device is the root; a second is enrolled by its pairing code and its signed events count on the first', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const statusA = await a.must('devices:status', {});
    const statusB = await b.must('devices:status', {});
    expect(statusA).toMatchObject({ status: 'enrolled', root: true, rootDeviceId: statusA.deviceId });
    expect(statusB).toMatchObject({ status: 'enrolled', root: false, rootDeviceId: statusA.deviceId, rootFingerprint: statusA.fingerprint });
    const type = await b.must('types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
    const jan = await b.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await b.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await waitFor("A has B's subscribe", async () => (await a.events()).length === 1);
    expect((await a.events())[0]?.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });
});

const reasonsOf = async (d: Device) => Object.fromEntries((await d.must('sync:quarantine', {})).map((q) => [q.docId, q.reason]));
const mayMarket = async (d: Device, contactId: string, typeId: string) =>
  (await d.must('consent:mayMessage', { contactId, typeId, category: 'marketing' })).allowed;

describe('a hostile server against enrolment and signatures', () => {
  it('forged devices, fake links, forged and replayed enrolments and a revoked device are kept aside; a genuine STOP lands everywhere', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const server = bed.server();
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
    const jan = await a.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ewa = await a.must('contacts:create', { name: 'Ewa', phoneInput: '+48 601 234 568' });
    const ola = await a.must('contacts:create', { name: 'Ola', phoneInput: '+48 601 234 569' });
    const janSubscribed = await a.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await waitFor('B has the contacts and the type', async () => (await b.contacts()).length === 3 && (await b.must('types:list', {})).length === 1);
    await b.must('consent:change', { contactId: ola.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'again', basedOn: '' });
    await waitFor('each has both subscribes', async () => (await a.events()).length === 2 && (await b.events()).length === 2);
    const [aId, bId] = [(await a.must('devices:status', {})).deviceId, (await b.must('devices:status', {})).deviceId];
    const bHead = (await b.events()).find((e) => e.deviceId === bId) as ConsentEvent;
    const content = (id: string, deviceId: string, seq: number) => ({
      id, contactId: ewa.id, typeId: type.id, status: 'subscribed' as const, previousStatus: 'not_specified' as const, source: 'manual' as const,
      legalBasis: 'consent_with_notice' as const, explanation: 'forged', actor: { kind: 'user' as const, id: 'u-x', name: 'Mallory' }, evidence: {},
      occurredAt: '2030-01-01T00:00:00.000Z', recordedAt: '2030-01-01T00:00:00.000Z', deviceId, seq, basedOn: '',
    });

    const mallory = outsideDevice('dev-0f0f0f0f0f0f0f0f');
    const stranger = outsideDevice('dev-0e0e0e0e0e0e0e0e');
    // A correctly hashed and signed event from a device nobody enrolled.
    await forge(server, 'consent_events', mallory.seal(content('forged-unknown', mallory.deviceId, 1), ''));
    // Fake next links of B: correct hash and link, unsigned or signed by another key.
    await forge(server, 'consent_events', sealEvent(content('forged-next-unsigned', bId, bHead.seq + 1), bHead.hash));
    await forge(server, 'consent_events', sealEvent(content('forged-next-signed', bId, bHead.seq + 1), bHead.hash, mallory.sign));
    // Enrolments: signed by a key nobody enrolled; claiming A as signer with another key.
    const byUnknown = mallory.recordEntry({ kind: 'enrol', deviceId: stranger.deviceId, publicKey: stranger.publicKey, legacyUpToSeq: 0, upToSeq: 0 });
    const claimingA = mallory.recordEntry({
      kind: 'enrol', deviceId: mallory.deviceId, publicKey: mallory.publicKey, legacyUpToSeq: 0, upToSeq: 0, signer: { deviceId: aId, userId: 'u', userName: 'Admin A' },
    });
    await forge(server, 'audit_log', byUnknown);
    await forge(server, 'audit_log', claimingA);
    // A replay of B's genuine enrolment under another id.
    const { _id: _i, _rev: _r, ...bEnrolment } = await serverDoc(server, 'audit_log', `device:enrol:${bId}:${aId}`);
    await forge(server, 'audit_log', { ...bEnrolment, id: 'device:enrol:replayed' });

    const expected = {
      'forged-unknown': 'unknown_device',
      'forged-next-unsigned': 'unsigned',
      'forged-next-signed': 'bad_signature',
      [byUnknown.id]: 'unknown_signer',
      [claimingA.id]: 'bad_signature',
      'device:enrol:replayed': 'malformed',
    };
    for (const d of [a, b]) {
      await waitFor(`${d.label} keeps every forged document aside`, async () => Object.keys(await reasonsOf(d)).length >= Object.keys(expected).length).catch(() => undefined);
      expect(await reasonsOf(d)).toEqual(expected);
      expect(await mayMarket(d, ewa.id, type.id)).toBe(false);
      expect((await d.must('devices:list', {})).map((x) => x.deviceId).sort()).toEqual([aId, bId].sort());
    }

    // A genuine STOP on A lands on B.
    await a.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'unsubscribe', legalBasis: '', explanation: 'asked by phone', basedOn: janSubscribed.id });
    await waitFor("B applies A's STOP", async () => !(await mayMarket(b, jan.id, type.id)));

    // B is revoked while offline; what it records afterwards counts nowhere else.
    await b.must('sync:stop', {});
    const revoked = await a.must('devices:revoke', { deviceId: bId });
    expect(revoked).toMatchObject({ status: 'revoked', revokedByName: 'Admin A' });
    const late = await b.must('consent:change', { contactId: ewa.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'after revocation', basedOn: '' });
    await b.must('sync:start', {});
    await waitFor('A keeps the revoked device\'s event aside', async () => (await reasonsOf(a))[late.id] === 'device_revoked');
    expect(await mayMarket(a, ewa.id, type.id)).toBe(false);
    await waitFor('B learns it is revoked', async () => (await b.must('devices:status', {})).status === 'revoked');
    // Field agents see their device's status, never the list nor approvals.
    const agent = await a.must('users:create', { name: 'Adam', role: 'field_agent', secret: TEST_SECRET });
    expect((await a.callAs({ userId: agent.id }, 'devices:status', {})).ok).toBe(true);
    const refused = await a.callAs({ userId: agent.id }, 'devices:approve', { code: mallory.code });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
  }, 240_000);
});
