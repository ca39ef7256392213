import { describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { consentEventSchema } from '../../../src/main/store/schemas/consent-schemas';
import { eventChanges, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { openAppStoreFile } from '../../helpers/app-store-file';

// Two devices record the same fact offline under one deterministic id (as two copies of one
// inbound message would). Each keeps its own copy; the chain check must not call the other
// device's copy "removed" on any device, and must still catch a real removal.

const bed = useSyncTestBed();
const open = bed.open;

const shared = (label: string, userId: string, contactId: string): ConsentChange => ({
  ...eventChanges(label, userId, contactId, 1)[0] as ConsentChange,
  id: `wamid.shared-message:${contactId}`,
  status: 'subscribed',
  occurredAt: '2026-11-20T10:00:00.000Z',
  explanation: 'START from the contact',
});

const removedIssues = async (d: Device) => {
  const report = await d.must('history:verify', {});
  return report.issues.filter((i) => i.category === 'removed');
};

describe('one fact recorded on two offline devices', () => {
  it('leaves no false "removed" verdict on any device, and a real removal is still reported', async () => {
    const a = await open('A');
    const b = await open('B');
    const contact = await a.must('contacts:create', { name: 'Ola Nowak', phoneInput: '+48 601 234 568' });
    await waitFor('B sees the contact', async () => (await b.contacts()).some((c) => c.id === contact.id));
    await a.must('sync:stop', {});
    await b.must('sync:stop', {});

    // Offline: each device seals the same id into its own chain, between events of its own.
    await a.append(eventChanges('A', a.admin.userId ?? '', contact.id, 2));
    await a.append([shared('A', a.admin.userId ?? '', contact.id)]);
    await a.append(eventChanges('A', a.admin.userId ?? '', contact.id, 1));
    await b.append(eventChanges('B', b.admin.userId ?? '', contact.id, 1));
    await b.append([shared('B', b.admin.userId ?? '', contact.id)]);
    await b.append(eventChanges('B', b.admin.userId ?? '', contact.id, 2));

    await a.must('sync:start', {});
    await a.awaitInSync();
    await b.must('sync:start', {});
    await b.awaitInSync();
    await a.awaitInSync();
    // Same ids on both; the shared one is each device's own copy (its chain covers it).
    await waitFor('A and B hold the same events', async () => JSON.stringify(await a.eventIds()) === JSON.stringify(await b.eventIds()));
    expect(await a.eventCount()).toBe(7);
    await waitFor('both copies filed where every device sees them', async () => {
      const onA = await a.must('audit:list', { action: 'ledger.link_kept', offset: 0, limit: 10 });
      return onA.total === 2;
    });

    // Without the filed copies, A would miss B's seq 2 and B would miss A's seq 3.
    expect(await removedIssues(a)).toEqual([]);
    expect(await removedIssues(b)).toEqual([]);
    const report = await a.must('history:verify', {});
    expect(report.issues).toEqual([]);

    // A real removal behind the app's back: B's last event deleted from A's data file.
    const bEvents = (await a.events()).filter((e) => e.explanation.startsWith('B #'));
    const victim = bEvents.sort((x, y) => x.seq - y.seq)[0];
    expect(victim).toBeDefined();
    await a.close();
    const file = openAppStoreFile(a.dataDir);
    const removed = file.prepare(`DELETE FROM "consent_events-${consentEventSchema.version}" WHERE json_extract(data, '$.id') = ?`).run(victim?.id).changes;
    file.close();
    expect(removed).toBe(1);
    const reopened = await open('A again', { dataDir: a.dataDir, start: false, admin: a.admin });
    const after = await removedIssues(reopened);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ deviceId: victim?.deviceId, missingFrom: victim?.seq, missingTo: victim?.seq });
  });
});
