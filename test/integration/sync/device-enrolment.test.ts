import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/sync-devices';
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
