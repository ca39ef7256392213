import { describe, expect, it } from 'vitest';
import { remoteDatabaseNames } from '../../../src/main/sync/sync-collections';
import type { Session } from '../../../src/main/api/handler-types';
import { scanBytes } from '../../helpers/byte-scan';
import { awaitConvergence, SYNC_DB, waitFor, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { TEST_SECRET } from '../../helpers/test-secret';
import { textMessage, webhook } from '../../helpers/webhook';

// Erasure on device A while device B is offline; B then syncs. B's old copies, and what B
// wrote about the contact while offline, must not bring the data back anywhere: both devices
// verify, and neither data folder nor the server's holds an erased value.
const bed = useSyncTestBed();

const NAME = 'Grzegorz Brzęczyszczykiewicz';
const EMAIL = 'grzegorz.b@example.pl';
const TEXT = 'Proszę STOP, nie chcę już wiadomości od Chrząszczyżewoszyce';
const OFFLINE_NOTE = 'Telefon od Grzegorza: rezygnuje';
const ERASED = [NAME, 'Brzęczyszczykiewicz', EMAIL, '601 765 432', '48601765432', TEXT, 'Chrząszczyżewoszyce', OFFLINE_NOTE, 'Formularz Brzęczyszczykiewicz'];

const signInNew = async (d: Device, role: 'compliance_officer', name: string): Promise<Session> => {
  const user = await d.must('users:create', { name, role, secret: TEST_SECRET });
  const session: Session = { userId: null };
  session.userId = (await d.callAs(session, 'session:signIn', { userId: user.id, secret: TEST_SECRET })).ok ? user.id : null;
  return session;
};

const holds = async (d: Device) => {
  const text = JSON.stringify({ contacts: await d.contacts(), events: await d.events() });
  return ERASED.some((v) => text.includes(v));
};

describe('erasure replicates; an offline device cannot bring the data back', () => {
  it('A erases while B is offline with old copies and new events; after B syncs no erased value is left in either data folder or in any revision the server serves', async () => {
    const a = await bed.open('A');
    const type = await a.must('types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '106540352242922', businessName: 'Sklep' });
    const c = await a.must('contacts:create', { name: NAME, phoneInput: '+48 601 765 432', email: EMAIL, properties: { uwagi: 'Formularz Brzęczyszczykiewicz' } });
    await a.must('consent:change', { contactId: c.id, typeId: type.id, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Formularz Brzęczyszczykiewicz', basedOn: '' });
    await a.must('messages:ingest', { payload: webhook([textMessage('wamid.s1', TEXT, Math.floor(Date.now() / 1000) + 5, '48601765432')], { from: '48601765432', name: NAME }) });

    const b = await bed.open('B');
    await awaitConvergence(bed.server(), [a, b]);
    await waitFor('B has the inbound message and the review item', async () => (await b.must('lifecycle:accessExport', { contactId: c.id }).catch(() => null))?.content.includes(TEXT) ?? false);
    await b.must('sync:stop', {});

    // B, offline: a note and an unsubscribe that name the contact.
    const onB = (await b.events()).filter((e) => e.contactId === c.id);
    const last = onB.sort((x, y) => y.seq - x.seq)[0];
    await b.must('contacts:update', { id: c.id, properties: { uwagi: OFFLINE_NOTE } });
    await b.must('consent:change', { contactId: c.id, typeId: type.id, action: 'unsubscribe', legalBasis: '', explanation: OFFLINE_NOTE, basedOn: last?.id ?? '' });

    // A erases.
    const officer = await signInNew(a, 'compliance_officer', 'Officer Ewa');
    const outcome = await a.callAs(officer, 'erasure:eraseContact', { contactId: c.id, reason: 'Request of 2026-12-05' });
    expect(outcome).toMatchObject({ ok: true, value: { alreadyErased: false, contact: true } });
    await a.awaitInSync();
    expect(await holds(a)).toBe(false);

    // B comes back.
    await b.must('sync:start', {});
    await waitFor('B receives the erasure and both hold nothing erased', async () => {
      await a.settled();
      await b.settled();
      return !(await holds(a)) && !(await holds(b));
    }, 60_000);
    await awaitConvergence(bed.server(), [a, b], 60_000);
    await a.settled();
    await b.settled();
    expect(await holds(a)).toBe(false);
    expect(await holds(b)).toBe(false);
    // B's offline unsubscribe arrived on A, erased.
    expect((await a.events()).filter((e) => e.contactId === c.id)).toHaveLength(onB.length + 1);
    for (const d of [a, b]) {
      const report = await d.must('history:verify', {});
      expect(report).toMatchObject({ ok: true, issues: [] });
      expect(await d.must('erasure:status', { contactId: c.id })).toMatchObject({ erased: true, reason: 'Request of 2026-12-05' });
      expect((await d.must('contacts:get', { id: c.id })).name).toBe('');
    }
    const server = bed.server();
    for (const name of remoteDatabaseNames(SYNC_DB)) {
      for (const doc of await server.allDocs(name)) expect(ERASED.filter((v) => JSON.stringify(doc).includes(v))).toEqual([]);
    }

    // Bytes: both data folders and the server's (after the app asked it to compact).
    await a.awaitInSync();
    await b.awaitInSync();
    await a.close();
    await b.close();
    // The server keeps earlier revisions until it is compacted (a CouchDB admin's job, or a
    // scheduled compaction); the erased copies are then the only ones left.
    for (const name of remoteDatabaseNames(SYNC_DB)) {
      const r = await fetch(`${server.url}/${name}/_compact`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      expect(r.status).toBeLessThan(300);
    }
    await waitFor('compaction to end', async () => {
      const infos = await Promise.all(remoteDatabaseNames(SYNC_DB).map(async (n) => (await (await fetch(`${server.url}/${n}`)).json()) as { compact_running?: boolean }));
      return infos.every((i) => !i.compact_running);
    });
    // Every revision the server can still hand out (any replica or backup would get these).
    for (const name of remoteDatabaseNames(SYNC_DB)) {
      for (const doc of await server.allDocs(name)) {
        const id = encodeURIComponent(String(doc._id));
        const info = (await (await fetch(`${server.url}/${name}/${id}?revs_info=true`)).json()) as { _revs_info?: Array<{ rev: string; status: string }> };
        for (const { rev } of (info._revs_info ?? []).filter((r) => r.status === 'available')) {
          const text = await (await fetch(`${server.url}/${name}/${id}?rev=${rev}`)).text();
          expect(ERASED.filter((v) => text.includes(v)), `${name}/${String(doc._id)} rev ${rev}`).toEqual([]);
        }
      }
    }
    // The devices' files are encrypted at rest, so these scans guard only the files beside the
    // database (start page, spools, logs); contact-erasure.test.ts scans an unencrypted file.
    expect(scanBytes(a.dataDir, ERASED)).toEqual([]);
    expect(scanBytes(b.dataDir, ERASED)).toEqual([]);
    // pouchdb-server's LevelDB keeps overwritten values in its log file (000003.log) until
    // LevelDB compacts its own tables, which these few writes never trigger; CouchDB's
    // compaction rewrites the database file. Measured, not asserted: see docs/erasure.md.
    await server.kill();
    const serverHits = scanBytes(server.dir, ERASED);
    expect(serverHits.every((h) => /\.log$/.test(h.file))).toBe(true);
  }, 300_000);
});
