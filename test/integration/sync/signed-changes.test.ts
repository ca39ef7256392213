import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeviceKeys } from '../../../src/main/device/device-keys';
import { createKeyFileSecretStore } from '../../../src/main/secrets/secret-store';
import { remoteDatabaseName } from '../../../src/main/sync/sync-collections';
import { changeMessage, fieldSignature, stampOfField } from '../../../src/main/sync/signed-changes';
import { forge, serverDoc } from '../../helpers/couch-forge';
import { SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { makeTempDir } from '../../helpers/temp-app';
import { TEST_SECRET } from '../../helpers/test-secret';

// Changes to users (roles), settings, rules and types carry their author and a signature by
// the author's device per field (signed-changes.ts). Two real apps sync through a real
// CouchDB-protocol server; each knows the other's device key (as the enrolment registry
// will tell it); the server then forges changes.
const bed = useSyncTestBed();
const enrolmentFile = join(makeTempDir('consent-desk-enrolment-'), 'enrolled.json');
const enrolled: Record<string, string> = {};
const enrol = (d: Device) => {
  enrolled[deviceIdOf(d)] = keysOf(d).publicKey;
  writeFileSync(enrolmentFile, JSON.stringify(enrolled));
};
beforeAll(() => {
  writeFileSync(enrolmentFile, '{}');
  process.env.CONSENT_DESK_TEST_ENROLMENT = enrolmentFile;
});
afterAll(() => {
  delete process.env.CONSENT_DESK_TEST_ENROLMENT;
});

// A device's own key and id, read the way the app reads them (the key file store of a test data folder).
const keysOf = (d: Device) => loadDeviceKeys(d.dataDir, createKeyFileSecretStore(d.dataDir));
const deviceIdOf = (d: Device) => readFileSync(join(d.dataDir, 'device-id'), 'utf8').trim();

async function device(label: string, enrolIt: boolean): Promise<Device> {
  const d = await bed.open(label);
  if (enrolIt) enrol(d);
  return d;
}

const kept = async (d: Device) => new Map((await d.must('sync:quarantine', {})).map((q) => [q.docId, q.reason]));
const roleOn = async (d: Device, id: string) => (await d.must('users:list', {})).find((u) => u.id === id)?.role;
const usersDb = remoteDatabaseName(SYNC_DB, 'users');

describe('signed changes to users, settings, rules and types', () => {
  it('genuine signed changes arrive; a forged, unsigned, unenrolled or unauthorised role change is kept aside and the local role stays', async () => {
    const a = await device('A', true);
    const b = await device('B', true);
    const fiona = await a.must('users:create', { name: 'Fiona', role: 'field_agent', secret: TEST_SECRET });
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
    await a.must('users:update', { id: fiona.id, role: 'compliance_officer' });
    await waitFor('B has Fiona as an officer and the type', async () =>
      (await roleOn(b, fiona.id)) === 'compliance_officer' && (await b.must('types:list', {})).some((t) => t.id === type.id), 20_000);
    expect(await kept(b)).toEqual(new Map());

    // Every field of the stored profile is signed by A's device for A's admin.
    const stored = await serverDoc(bed.server(), 'users', fiona.id);
    const sigs = stored.fieldSigs as Record<string, string>;
    expect(Object.keys(sigs).sort()).toEqual(['name', 'role']);
    expect(sigs.role?.split('|').slice(0, 2)).toEqual([deviceIdOf(a), a.admin.userId]);

    // 1. The server makes Fiona an admin, keeping the officer's signature: it no longer matches.
    const { _id: _i, ...body } = stored;
    await forge(bed.server(), 'users', { ...body, id: fiona.id, role: 'admin' });
    await waitFor('both keep the forged role aside', async () => (await kept(a)).get(fiona.id) === 'bad_signature' && (await kept(b)).get(fiona.id) === 'bad_signature', 20_000);
    expect(await roleOn(a, fiona.id)).toBe('compliance_officer');
    expect(await roleOn(b, fiona.id)).toBe('compliance_officer');

    // 2. A new admin profile with no signature at all.
    await forge(bed.server(), 'users', { id: 'u-mallory', name: 'Mallory', role: 'admin', createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' });
    // 3. A legacy-looking field agent with no signature: an old date proves nothing, and no
    // enrolled device's legacy manifest lists it, so it is kept aside too.
    await forge(bed.server(), 'users', { id: 'u-legacy', name: 'Old Agent', role: 'field_agent', createdAt: '2020-01-01T00:00:00.000Z', updatedAt: '2020-01-01T00:00:00.000Z' });
    await waitFor('B keeps Mallory and the legacy-looking agent aside', async () =>
      (await kept(b)).get('u-mallory') === 'unsigned_change' && (await kept(b)).get('u-legacy') === 'unsigned_change', 20_000);
    expect(await roleOn(b, 'u-legacy')).toBeUndefined();
    expect(await roleOn(b, 'u-mallory')).toBeUndefined();

    // 4. A change signed by A's real device key, but authored by a field agent, who may not change roles.
    const agent = await a.must('users:create', { name: 'Adam', role: 'field_agent', secret: TEST_SECRET });
    await waitFor('B has Adam', async () => (await roleOn(b, agent.id)) === 'field_agent', 20_000);
    const adam = await serverDoc(bed.server(), 'users', agent.id);
    const stamp = `2031-01-01T00:00:00.000Z|${deviceIdOf(a)}`;
    const selfPromoted = { ...adam, role: 'admin', fieldClock: { ...(adam.fieldClock as Record<string, string>), role: stamp } };
    const byAgent = keysOf(a).sign(changeMessage('users', agent.id, 'role', 'admin', stampOfField(selfPromoted, 'role'), agent.id));
    const { _id: _j, ...adamBody } = selfPromoted as Record<string, unknown>;
    await forge(bed.server(), 'users', { ...adamBody, id: agent.id, fieldSigs: { ...(adam.fieldSigs as Record<string, string>), role: fieldSignature(deviceIdOf(a), agent.id, byAgent) } });
    await waitFor('B refuses the agent\'s own promotion', async () => (await kept(b)).has(agent.id), 20_000);
    expect((await b.must('sync:quarantine', {})).find((q) => q.docId === agent.id)).toMatchObject({ reason: 'not_allowed' });
    expect(await roleOn(b, agent.id)).toBe('field_agent');

    // 5. A device that is not enrolled: its admin (and whatever it signs) is kept aside.
    const c = await device('C', false);
    await waitFor('B keeps C\'s admin aside as unenrolled', async () => (await kept(b)).get(c.admin.userId ?? '') === 'unknown_device', 20_000);
    const onB = (await b.must('sync:quarantine', {})).find((q) => q.docId === c.admin.userId);
    expect(onB?.waitingFor).toBe(`device:${deviceIdOf(c)}`);

    // Once C is enrolled, "re-check now" lets its admin in.
    enrol(c);
    const left = await b.must('sync:recheckQuarantine', {});
    expect(left.map((q) => q.docId)).not.toContain(c.admin.userId);
    expect(await roleOn(b, c.admin.userId ?? '')).toBe('admin');

    // A genuine later change by A still lands everywhere.
    await a.must('users:update', { id: fiona.id, name: 'Fiona Nowak' });
    await waitFor('B has the rename', async () => (await b.must('users:list', {})).some((u) => u.id === fiona.id && u.name === 'Fiona Nowak'), 20_000);
    expect(await roleOn(b, fiona.id)).toBe('compliance_officer');
    expect((await bed.server().allDocs(usersDb)).length).toBeGreaterThan(3);
  }, 240_000);
});
