import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chainHeadEntry, chainHeadMessage, signChainHead } from '../../../src/main/device/chain-heads';
import { verifyDeviceSignature } from '../../../src/main/device/device-keys';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import type { IntegrityReport } from '../../../src/shared/api/history-channels';
import { forge } from '../../helpers/couch-forge';
import { startWithholdingProxy, type WithholdingProxy } from '../../helpers/couch-withholding-proxy';
import { enrolDevice, SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

// A server that drops a device's newest events, a genuine STOP among them. The device's signed
// chain head still reaches the other device, which then knows its copy of that chain is short:
// the integrity check says which events are missing (not yet arrived, then withheld once it has
// read the server to the end), never "ok". Forged heads are kept aside. Pointed at an honest
// server, the events arrive, the STOP lands and the report is whole again. Consent proofs carry
// the heads and the tails.
const bed = useSyncTestBed();
let proxy: WithholdingProxy | undefined;

beforeAll(() => {
  // Every settled push round publishes a head (the app's default is at most one per 5 minutes).
  process.env.CONSENT_DESK_TEST_HEAD_INTERVAL_MS = '0';
});
afterAll(() => {
  delete process.env.CONSENT_DESK_TEST_HEAD_INTERVAL_MS;
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const BUSINESS = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' };

const verify = async (d: Device): Promise<IntegrityReport> => d.must('history:verify', {});
const mayMarket = async (d: Device, contactId: string, typeId: string) =>
  (await d.must('consent:mayMessage', { contactId, typeId, category: 'marketing' })).allowed;
const reasonsOf = async (d: Device) => new Map((await d.must('sync:quarantine', {})).map((q) => [q.docId, q.reason]));
const newestSeqOf = async (d: Device, deviceId: string) => Math.max(0, ...(await d.events()).filter((e) => e.deviceId === deviceId).map((e) => e.seq));

describe('signed chain heads against a server that withholds a device\'s newest events', () => {
  it('reports the truncated tail (not yet arrived, then withheld), keeps forged heads aside, and clears once the events arrive', async () => {
    const a = await bed.open('A');
    const { deviceId: aId } = await a.must('devices:status', {});
    const eventsDb = remoteDatabaseName(SYNC_DB, 'consent_events');
    let keepUpTo = Number.POSITIVE_INFINITY;
    proxy = await startWithholdingProxy(bed.server().url, (db, doc) => db === eventsDb && doc.deviceId === aId && typeof doc.seq === 'number' && doc.seq > keepUpTo);
    const admin = bed.server().admin;
    const b = await bed.open('B', { start: false });
    await b.must('sync:setConfig', { url: proxy.url, database: SYNC_DB, username: admin?.username ?? '', password: admin?.password ?? '' });
    await b.must('sync:start', {});
    await enrolDevice(a, b);

    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
    const jan = await a.must('contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const ewa = await a.must('contacts:create', { name: 'Ewa', phoneInput: '+48 601 234 568' });
    const subscribed = await a.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    await waitFor('B knows both contacts and Jan subscribed', async () => (await b.contacts()).length === 2 && (await mayMarket(b, jan.id, type.id)));
    // Whole so far: B holds every event under A's published head.
    await waitFor('B holds A\'s head over the subscribe', async () => {
      const heads = (await verify(b)).signedHeads;
      return heads?.known.some((h) => h.deviceId === aId && h.seq === subscribed.seq) === true;
    });
    const whole = await verify(b);
    expect(whole.signedHeads?.tails).toEqual([]);
    expect(whole.ok).toBe(true);

    // From here the server keeps A's newest events from B: a STOP for Jan, then a subscribe of Ewa.
    keepUpTo = await newestSeqOf(a, aId);
    const stop = await a.must('consent:change', { contactId: jan.id, typeId: type.id, action: 'unsubscribe', legalBasis: '', explanation: 'asked by phone', basedOn: subscribed.id });
    const later = await a.must('consent:change', { contactId: ewa.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'form', basedOn: '' });
    expect([stop.seq, later.seq]).toEqual([keepUpTo + 1, keepUpTo + 2]);
    await a.awaitInSync();

    // B learns of A's head over both, without the events.
    let report = await verify(b);
    await waitFor('B holds A\'s head over the withheld events', async () => {
      report = await verify(b);
      return report.signedHeads?.known.some((h) => h.deviceId === aId && h.seq === later.seq) === true;
    });
    expect(proxy.withheld()).toBeGreaterThan(0);
    expect(report.ok).toBe(false);
    expect(report.signedHeads?.tails).toMatchObject([{ deviceId: aId, heldUpTo: keepUpTo, headSeq: later.seq, missingFrom: stop.seq, missingTo: later.seq, keptAside: 0 }]);
    expect(report.signedHeads?.tails[0]?.message).toContain(`chain of device ${aId} ends at seq ${keepUpTo} but its signed head says ${later.seq}: events ${stop.seq}..${later.seq} missing`);
    // Once B has read the server to the end since the head came, the gap is withheld, not "not yet arrived".
    await waitFor('B calls the gap withheld', async () => (await verify(b)).signedHeads?.tails[0]?.state === 'withheld');
    // The STOP has not reached B: what the report is there to say.
    expect(await mayMarket(b, jan.id, type.id)).toBe(true);
    expect(await mayMarket(a, jan.id, type.id)).toBe(false);
    // A consent proof made on B now carries A's signed head, checkable with A's key, and the tail.
    const proof = (await b.must('history:proof', { contactId: jan.id })).document;
    const aHead = proof.signedHeads?.known.find((h) => h.deviceId === aId);
    const aKey = proof.signedHeads?.deviceKeys.find((k) => k.deviceId === aId)?.publicKey;
    expect(aHead?.seq).toBe(later.seq);
    expect(aHead && verifyDeviceSignature(aKey, chainHeadMessage(aHead), aHead.sig)).toBe(true);
    expect(proof.signedHeads?.tails).toMatchObject([{ deviceId: aId, missingFrom: stop.seq, missingTo: later.seq, state: 'withheld' }]);
    expect(proof.allChecksPassed).toBe(false);
    // A holds its whole chain: nothing to report there.
    const onA = await verify(a);
    expect(onA.signedHeads?.tails).toEqual([]);
    expect(onA.ok).toBe(true);

    // Forged heads for A far ahead: signed by another key, and unsigned. Both kept aside on both devices.
    const stranger = generateKeyPairSync('ed25519');
    const forgedSigned = signChainHead({ v: 1, deviceId: aId, seq: later.seq + 50, hash: 'f'.repeat(64), at: new Date().toISOString() }, (m) =>
      sign(null, Buffer.from(m, 'utf8'), stranger.privateKey).toString('base64url'),
    );
    await forge(bed.server(), 'audit_log', chainHeadEntry(forgedSigned) as unknown as Record<string, unknown> & { id: string });
    const { sig: _sig, ...unsigned } = signChainHead({ v: 1, deviceId: aId, seq: later.seq + 60, hash: 'f'.repeat(64), at: new Date().toISOString() }, () => 'x'.repeat(86));
    const unsignedEntry = { ...chainHeadEntry({ ...unsigned, sig: 'x'.repeat(86) }), details: { head: unsigned } };
    await forge(bed.server(), 'audit_log', unsignedEntry as unknown as Record<string, unknown> & { id: string });
    const expected = { [chainHeadEntry(forgedSigned).id]: 'bad_signature', [unsignedEntry.id]: 'malformed' };
    for (const d of [a, b]) {
      await waitFor(`${d.label} keeps both forged heads aside`, async () => (await reasonsOf(d)).size >= 2, 20_000).catch(() => undefined);
      expect(Object.fromEntries(await reasonsOf(d))).toEqual(expected);
      const heads = (await verify(d)).signedHeads;
      expect(heads?.known.find((h) => h.deviceId === aId)?.seq).toBe(later.seq);
    }

    // B turns to an honest server: A's events arrive, the STOP lands, the tail is gone.
    await b.must('sync:setConfig', { url: bed.server().url, database: SYNC_DB, username: admin?.username ?? '', password: admin?.password ?? '' });
    await waitFor('the STOP reaches B', async () => !(await mayMarket(b, jan.id, type.id)));
    await waitFor('B holds A\'s whole chain', async () => (await newestSeqOf(b, aId)) >= later.seq);
    const healed = await verify(b);
    expect(healed.signedHeads?.tails).toEqual([]);
    expect(healed.signedHeads?.mismatches).toEqual([]);
    const healedProof = (await b.must('history:proof', { contactId: jan.id })).document;
    expect(healedProof.signedHeads?.tails).toEqual([]);
    expect(healedProof.allChecksPassed).toBe(true);
  }, 240_000);
});
