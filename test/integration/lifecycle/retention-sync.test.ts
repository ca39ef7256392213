import { describe, expect, it } from 'vitest';
import { remoteDatabaseName, remoteDatabaseNames } from '../../../src/main/sync/sync-collections';
import { awaitConvergence, SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { textMessage, webhook } from '../../helpers/webhook';

// Retention on device A rewrites the server's copies too: the events, inbound messages and
// review items A cleared lose their text on the server (current revisions) and on B, B's
// sync brings nothing back, and both ledgers verify.
const bed = useSyncTestBed();

const OLD_TEXT = 'Proszę przestańcie pisać, mój PIN 9876 Wombat';
const NEW_TEXT = 'Proszę przestańcie pisać do mnie, Dingo';
const DAY = 24 * 60 * 60;

const serverText = async () => {
  const parts: string[] = [];
  for (const name of remoteDatabaseNames(SYNC_DB)) for (const doc of await bed.server().allDocs(name)) parts.push(JSON.stringify(doc));
  return parts.join('\n');
};
const holdsOld = async (d: Device) => {
  const reviews = await d.must('review:list', { state: 'all', kind: '', contactId: '', offset: 0, limit: 200 });
  expect(reviews.total).toBe(2);
  const text = JSON.stringify(await d.events()) + JSON.stringify(reviews);
  return text.includes('Wombat') || text.includes('Sent \\"START\\"');
};

describe('retention replicates', () => {
  it("A's retention reaches the server and B; verify ok on both", async () => {
    const a = await bed.open('A');
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '106540352242922', businessName: 'Sklep' });
    const old = Math.floor(Date.now() / 1000) - 100 * DAY;
    await a.must('messages:ingest', { payload: webhook([textMessage('wamid.Y1', 'START', old)]) });
    await a.must('messages:ingest', { payload: webhook([textMessage('wamid.Y2', OLD_TEXT, old + 60)]) });
    await a.must('messages:ingest', { payload: webhook([textMessage('wamid.Y3', NEW_TEXT, Math.floor(Date.now() / 1000) - DAY)]) });
    const b = await bed.open('B');
    await awaitConvergence(bed.server(), [a, b]);
    // Control: the server holds the texts before.
    expect(await serverText()).toContain('Wombat');
    expect(await serverText()).toContain('Sent \\"START\\"');

    expect(await a.must('lifecycle:applyRetention', {})).toMatchObject({ cleared: 2, events: 1, reviewItems: 1, legacyEvents: 0 });
    await a.awaitInSync();
    await waitFor("the server's copies to lose the old text", async () => {
      const text = await serverText();
      return !text.includes('Wombat') && !text.includes('Sent \\"START\\"');
    }, 60_000);
    const server = await serverText();
    expect(server).toContain('Dingo');
    const event = (await bed.server().allDocs(remoteDatabaseName(SYNC_DB, 'consent_events'))).find((d) => d._id === `msg:wamid.Y1:${type.id}`);
    expect(event).toMatchObject({ explanation: '', evidence: { messageText: '', messageId: 'wamid.Y1' } });

    // B's copies follow by sync (the copy holding less wins; review items merge by field), so
    // B's own sweep finds nothing left; nothing comes back to A.
    await waitFor('B to receive the cleared copies', async () => {
      await b.settled();
      return !(await holdsOld(b));
    }, 60_000);
    expect(await b.must('lifecycle:applyRetention', {})).toMatchObject({ cleared: 0, events: 0, reviewItems: 0 });
    await awaitConvergence(bed.server(), [a, b], 60_000);
    await a.settled();
    await b.settled();
    for (const d of [a, b]) {
      expect(await holdsOld(d)).toBe(false);
      const report = await d.must('history:verify', {});
      expect(report).toMatchObject({ ok: true, issues: [], erased: { retention: 1 } });
    }
    const after = await serverText();
    expect(after).not.toContain('Wombat');
    expect(after).toContain('Dingo');
  }, 240_000);
});
