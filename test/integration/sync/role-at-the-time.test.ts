import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { generateKeyPairSync } from 'node:crypto';
import { deviceRecordMessage, recordAuditEntry, type UnsignedDeviceRecord } from '../../../src/main/device/device-records';
import { loadDeviceKeys } from '../../../src/main/device/device-keys';
import { createKeyFileSecretStore } from '../../../src/main/secrets/secret-store';
import { roleRecordEntry } from '../../../src/main/sync/role-records';
import { changeMessage, fieldSignature } from '../../../src/main/sync/signed-changes';
import { forge, serverDoc } from '../../helpers/couch-forge';
import { waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { TEST_SECRET } from '../../helpers/test-secret';

// A signed change to users, settings, rules or types counts only if its author was an
// administrator AT THE TIME of the change (its stamp), as the signed role history tells it
// (role records in the audit log, role-records.ts); an enrolment only if the user who approved
// it was. Real devices, enrolled the real way, through a real CouchDB-protocol server.
const bed = useSyncTestBed();

const keysOf = (d: Device) => loadDeviceKeys(d.dataDir, createKeyFileSecretStore(d.dataDir));
const deviceIdOf = (d: Device) => readFileSync(join(d.dataDir, 'device-id'), 'utf8').trim();
const kept = async (d: Device) => new Map((await d.must('sync:quarantine', {})).map((q) => [q.docId, q]));
const roleOn = async (d: Device, id: string) => (await d.must('users:list', {})).find((u) => u.id === id)?.role;
const typeNamed = async (d: Device, name: string) => (await d.must('types:list', {})).find((t) => t.name === name);
// Stamps are ISO times to the millisecond: each step below starts in a later millisecond than the last.
const nextMs = () => new Promise((r) => setTimeout(r, 5));
// Each type on its own business number: one number covers one purpose once.
const typeInput = (name: string, phoneNumberId: string) => ({ name, purpose: 'marketing' as const, businessNumber: `+48 22 123 ${phoneNumberId.slice(0, 2)} ${phoneNumberId.slice(2)}`, phoneNumberId, businessName: 'Sklep' });

async function signIn(d: Device, userId: string): Promise<Session> {
  const session: Session = { userId: null };
  const r = await d.callAs(session, 'session:signIn', { userId, secret: TEST_SECRET });
  if (!r.ok) throw new Error(`${d.label} sign-in: ${r.error.message}`);
  session.userId = r.value.id;
  return session;
}

describe('authors\' roles at the time of the change', () => {
  it('a change made while its author was an admin stands after a later demotion; one made after the demotion is refused', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const bob = await a.must('users:create', { name: 'Bob', role: 'admin', secret: TEST_SECRET });
    const bobOnA = await signIn(a, bob.id);
    await waitFor('B has Bob as an admin', async () => (await roleOn(b, bob.id)) === 'admin', 20_000);

    // A goes offline. Bob, an admin, adds a type there.
    await a.must('sync:stop', {});
    await nextMs();
    const earlier = await a.callAs(bobOnA, 'types:create', typeInput('Earlier', '2001'));
    expect(earlier.ok).toBe(true);
    // Meanwhile B's admin makes Bob a field agent.
    await nextMs();
    await b.must('users:update', { id: bob.id, role: 'field_agent' });
    // A still knows Bob as an admin, and Bob adds another type after his demotion.
    await nextMs();
    const later = await a.callAs(bobOnA, 'types:create', typeInput('Later', '2002'));
    expect(later.ok ? '' : later.error.message).toBe('');

    await a.must('sync:start', {});
    await waitFor('B takes the earlier type and keeps the later one aside', async () =>
      (await typeNamed(b, 'Earlier')) !== undefined && (later.ok && (await kept(b)).get(later.value.id)?.reason === 'not_allowed'), 30_000);
    expect(await typeNamed(b, 'Later')).toBeUndefined();
    const refused = (await kept(b)).get(later.ok ? later.value.id : '');
    expect(refused?.detail).toContain('field_agent');
    // The earlier type passed on the strength of Bob's role then, which B learnt from the role history.
    expect(earlier.ok && (await kept(b)).has(earlier.value.id)).toBe(false);
    await waitFor('A learns the demotion', async () => (await roleOn(a, bob.id)) === 'field_agent', 20_000);

    // The role history is in the shared audit log, one signed record per version of Bob's role.
    const history = (await b.must('audit:list', { action: 'user.role_signed', offset: 0, limit: 50 })).entries.filter(
      (e) => (e.details as { role?: { userId?: string } }).role?.userId === bob.id,
    );
    expect(history.map((e) => (e.details as { role: { role: string } }).role.role).sort()).toEqual(['admin', 'field_agent']);
  }, 240_000);

  it('role records and enrolments are checked: a forged promotion and a field agent\'s approval are kept aside', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const fiona = await a.must('users:create', { name: 'Fiona', role: 'field_agent', secret: TEST_SECRET });
    await waitFor('B has Fiona', async () => (await roleOn(b, fiona.id)) === 'field_agent', 20_000);
    const keys = keysOf(a);
    const aId = deviceIdOf(a);

    // 1. A role record making Fiona an admin, signed by A's real key but authored by Fiona herself,
    // dated an hour back: before her profile existed, so not her creation.
    const stamp = `${new Date(Date.now() - 3_600_000).toISOString()}|${aId}`;
    const selfSig = fieldSignature(aId, fiona.id, keys.sign(changeMessage('users', fiona.id, 'role', 'admin', stamp, fiona.id)));
    const selfPromotion = roleRecordEntry({ userId: fiona.id, role: 'admin', stamp, sig: selfSig }, aId);
    // 2. The same, claiming A's admin as author, with a signature that is not over it.
    const stamp2 = `${new Date(Date.now() - 3_500_000).toISOString()}|${aId}`;
    const badSig = fieldSignature(aId, a.admin.userId ?? '', selfSig.split('|')[2] ?? '');
    const badPromotion = roleRecordEntry({ userId: fiona.id, role: 'admin', stamp: stamp2, sig: badSig }, aId);
    // 3. An enrolment of a new device, signed by A's real key, approved in the name of Fiona.
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
    const content: UnsignedDeviceRecord = {
      v: 1, kind: 'enrol', deviceId: 'dev-00000000000000f1', publicKey: raw, name: 'Mallory laptop', legacyUpToSeq: 0, upToSeq: 0,
      at: new Date().toISOString(), signer: { deviceId: aId, userId: fiona.id, userName: 'Fiona' },
    };
    const enrolment = recordAuditEntry({ ...content, sig: keys.sign(deviceRecordMessage(content)) }, aId);
    for (const entry of [selfPromotion, badPromotion, enrolment]) await forge(bed.server(), 'audit_log', entry);

    await waitFor('both keep all three aside', async () => {
      for (const d of [a, b]) {
        const k = await kept(d);
        if (k.get(selfPromotion.id)?.reason !== 'not_allowed' || k.get(badPromotion.id)?.reason !== 'bad_signature' || k.get(enrolment.id)?.reason !== 'not_allowed') return false;
      }
      return true;
    }, 60_000).catch(async (e: unknown) => {
      console.log([...(await kept(a)).values()].map((q) => `${q.docId} ${q.reason} ${q.detail}`), [...(await kept(b)).values()].map((q) => `${q.docId} ${q.reason} ${q.detail}`));
      throw e;
    });
    expect((await kept(b)).get(enrolment.id)?.waitingFor).toBe(`user:${fiona.id}`);
    expect((await b.must('devices:list', {})).some((dv) => dv.deviceId === content.deviceId)).toBe(false);
    expect(await roleOn(b, fiona.id)).toBe('field_agent');

    // A genuine promotion by A's admin lands, and a later enrolment approved by Fiona as an admin would count;
    // her earlier one still does not (she was a field agent at its time).
    await nextMs();
    await a.must('users:update', { id: fiona.id, role: 'admin' });
    await waitFor('B has Fiona as an admin', async () => (await roleOn(b, fiona.id)) === 'admin', 20_000);
    await b.must('sync:recheckQuarantine', {});
    expect((await kept(b)).get(enrolment.id)?.reason).toBe('not_allowed');
    expect((await kept(b)).get(selfPromotion.id)?.reason).toBe('not_allowed');
    const stored = await serverDoc(bed.server(), 'users', fiona.id);
    expect((stored.fieldSigs as Record<string, string>).role?.split('|')[1]).toBe(a.admin.userId);
  }, 240_000);
});
