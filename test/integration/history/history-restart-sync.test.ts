import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { HistoryQuery } from '../../../src/shared/api/consent-channels';
import { awaitConvergence, eventChanges, type Device } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';
import { TEST_SECRET } from '../../helpers/test-secret';

// Device B saves its history index, closes, and while it is away device A writes new events
// and erases a contact. B restarts from its saved index; sync then brings the new events and
// the erasure's rewrites, and B adds events of its own. What B's history shows must equal what
// a build from B's store shows (the same folder, the saved index removed).
const bed = useSyncTestBed();

const empty: Omit<HistoryQuery, 'offset' | 'limit'> = { contactId: '', typeId: '', source: '', status: '', actorId: '', legalBasis: '', deviceId: '', search: '', from: '', to: '' };
const snapshotOf = (dataDir: string) => join(dataDir, 'consentdesk.sqlite.history-index');

async function view(d: Device, erasedText: string) {
  const page = async (q: Partial<HistoryQuery>) => {
    const p = await d.must('consent:history', { ...empty, offset: 0, limit: 500, ...q });
    return { total: p.total, rows: p.rows.map((r) => [r.id, r.explanation, r.contactName, r.deviceId]) };
  };
  return {
    all: await page({}),
    deep: await page({ offset: 11, limit: 7 }),
    unsubscribed: await page({ status: 'unsubscribed' }),
    erasedText: await page({ search: erasedText }),
    stats: await d.must('history:stats', empty),
    facets: await d.must('history:facets', {}),
  };
}

const signInOfficer = async (d: Device): Promise<Session> => {
  const user = await d.must('users:create', { name: 'Officer Ewa', role: 'compliance_officer', secret: TEST_SECRET });
  const session: Session = { userId: null };
  session.userId = (await d.callAs(session, 'session:signIn', { userId: user.id, secret: TEST_SECRET })).ok ? user.id : null;
  return session;
};

describe('history index after a restart with sync arrivals and an erasure', () => {
  it('equals a fresh build from the store', async () => {
    const a = await bed.open('A');
    const b = await bed.open('B');
    const userId = a.admin.userId ?? '';
    const kept = await a.must('contacts:create', { name: 'Ola Kept' });
    const erased = await a.must('contacts:create', { name: 'Jan Erased' });
    await a.append(eventChanges('Kept before', userId, kept.id, 12));
    await a.append(eventChanges('Erased fair note', userId, erased.id, 9));
    await awaitConvergence(bed.server(), [a, b]);
    expect((await view(b, 'Erased fair note')).erasedText.total).toBe(9);
    await b.close();
    expect(existsSync(snapshotOf(b.dataDir))).toBe(true);

    // While B is away.
    await a.append(eventChanges('Kept while away', userId, kept.id, 15));
    const officer = await signInOfficer(a);
    expect(await a.callAs(officer, 'erasure:eraseContact', { contactId: erased.id, reason: 'Request of 2026-12-08' })).toMatchObject({ ok: true });
    await a.awaitInSync();

    const restarted = await bed.open('B again', { dataDir: b.dataDir, admin: b.admin });
    await awaitConvergence(bed.server(), [a, restarted], 60_000);
    await restarted.append(eventChanges('B after restart', b.admin.userId ?? '', kept.id, 4));
    await restarted.settled();
    const afterRestart = await view(restarted, 'Erased fair note');
    await restarted.close();

    rmSync(snapshotOf(b.dataDir));
    const rebuilt = await bed.open('B rebuilt', { dataDir: b.dataDir, admin: b.admin, start: false });
    const fresh = await view(rebuilt, 'Erased fair note');

    expect(fresh.all.total).toBe(12 + 9 + 15 + 4);
    // The erasure removed the explanations from the erased contact's events, on B too.
    expect(fresh.erasedText.total).toBe(0);
    expect(afterRestart).toEqual(fresh);
  }, 240_000);
});
