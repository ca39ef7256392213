import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { eventSignatureMessage } from '../../../src/main/consent/event-hash';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { checkSignatures } from '../../../src/main/integrity/signature-check';
import { consentEventSchema } from '../../../src/main/store/schemas/consent-schemas';
import { insertDocuments } from '../../../src/main/store/insert-documents';
import type { ConsentEvent } from '../../../src/shared/domain';
import type { AppEvent } from '../../../src/shared/events';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { outsideDevice } from '../../helpers/sync-outside-device';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// The signature check runs in workers, each over a share of the table's rows on its own
// read-only connection, against a registry built in the worker from main's records and root.
// Its report must be the main-thread check's (same counts, same listed problems) whatever the
// number of workers and the page size, over a ledger with every kind of failing signature.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const change = (i: number): ConsentChange => ({
  contactId: `c${i % 9}`,
  typeId: 'mkt',
  status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
  source: 'manual',
  legalBasis: i % 2 === 0 ? 'consent_with_notice' : '',
  explanation: `Change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
});

// Events of an outside device's own chain, sealed (and signed unless told) by its key.
const chainOf = (device: ReturnType<typeof outsideDevice>, from: number, count: number, prevHash: string, signed = true): ConsentEvent[] => {
  const out: ConsentEvent[] = [];
  let prev = prevHash;
  for (let seq = from; seq < from + count; seq++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString();
    const e = device.seal(
      {
        id: `${device.deviceId}:${seq}`, seq, contactId: `c${seq % 5}`, typeId: 'mkt', status: 'subscribed', previousStatus: 'unsubscribed',
        source: 'manual', legalBasis: 'consent_with_notice', explanation: `outside ${seq}`, actor: { kind: 'user', id: 'u9', name: 'Outside' },
        evidence: {}, occurredAt: at, recordedAt: at, deviceId: device.deviceId, basedOn: '',
      },
      prev,
      signed,
    );
    out.push(e);
    prev = e.hash;
  }
  return out;
};

async function ledgerWithEveryFailure(): Promise<{ dataDir: string; expected: { bad_signature: number; unsigned: number; device_revoked: number; unknown_device: number; signed: number } }> {
  const dataDir = makeTempDir('consent-desk-sigworkers-');
  app = await openTestApp({ dataDir });
  const admin: Session = await app.signIn('admin');
  await app.services.ledger.append(Array.from({ length: 80 }, (_, i) => change(i)));
  const db = app.services.db;
  const ownId = app.services.trust.deviceId;

  // B: enrolled by an admin's approval, writes 30 events, is revoked, then writes 12 more.
  const b = outsideDevice('dev-0000000000000b01');
  await insertDocuments(db.audit_log, [b.pairingEntry() as never]);
  await app.must(admin, 'devices:approve', { code: b.code });
  const bBefore = chainOf(b, 1, 30, '');
  await insertDocuments(db.consent_events, bBefore);
  await app.must(admin, 'devices:revoke', { deviceId: b.deviceId });
  await insertDocuments(db.consent_events, chainOf(b, 31, 12, bBefore.at(-1)?.hash ?? ''));

  // C: never enrolled; 230 events, so more problems than a report lists (100) come from all shares.
  await insertDocuments(db.consent_events, chainOf(outsideDevice('dev-0000000000000c02'), 1, 230, ''));
  // D: enrolled, but its events carry no signature (after its legacy point, 0).
  const d = outsideDevice('dev-0000000000000d03');
  await insertDocuments(db.audit_log, [d.pairingEntry() as never]);
  await app.must(admin, 'devices:approve', { code: d.code });
  await insertDocuments(db.consent_events, chainOf(d, 1, 7, '', false));
  await app.close();

  // This device's own events edited in the file: a hash re-written (its signature no longer
  // matches), a signature by another key over the right hash (forged), one removed, garbage,
  // and a signature of the wrong type.
  const sql = openAppStoreFile(dataDir);
  const table = `"consent_events-${consentEventSchema.version}"`;
  const own = (sql.prepare(`SELECT data FROM ${table} WHERE deleted = 0`).pluck(true).all() as string[])
    .map((data) => JSON.parse(data) as ConsentEvent)
    .filter((e) => e.deviceId === ownId)
    .sort((x, y) => x.seq - y.seq);
  const rewrite = (seq: number, patch: Record<string, unknown>) => {
    const doc = own.find((e) => e.seq === seq);
    if (!doc) throw new Error(`no own event ${seq}`);
    sql.prepare(`UPDATE ${table} SET data = ? WHERE json_extract(data, '$.id') = ?`).run(JSON.stringify({ ...doc, ...patch }), doc.id);
  };
  rewrite(5, { hash: 'f'.repeat(64) });
  rewrite(17, { sig: b.sign(eventSignatureMessage(own.find((e) => e.seq === 17)?.hash ?? '')) });
  rewrite(33, { sig: undefined });
  rewrite(48, { sig: '!!not base64url!!' });
  rewrite(61, { sig: 12345 });
  sql.close();
  return {
    dataDir,
    expected: { bad_signature: 4, unsigned: 1 + 7, device_revoked: 12, unknown_device: 230, signed: 80 - 5 + 30 },
  };
}

const progressOf = (events: AppEvent[]) => events.flatMap((e) => (e.type === 'progress' && e.kind === 'integrity' ? [e] : []));

describe('signature checks in the integrity workers', () => {
  it('give the main-thread verdicts over tampered, forged, unsigned, revoked and unknown-device events, at every split', async () => {
    const { dataDir, expected } = await ledgerWithEveryFailure();
    app = await openTestApp({ dataDir });
    const registry = await app.services.trust.registry();
    const reference = await checkSignatures(app.services.db, registry);

    // The reference is what the ledger holds, not just what the workers agree on.
    const byReason = (reason: string) => reference.problems.filter((p) => p.reason === reason).length;
    expect(reference).toMatchObject({ signed: expected.signed, legacyUnsigned: 0 });
    expect(reference.failing).toBe(expected.bad_signature + expected.unsigned + expected.device_revoked + expected.unknown_device);
    expect(reference.problems).toHaveLength(100);
    // Listed in (device, seq, id) order: the outside ids sort before this device's random one,
    // so the list is B's revoked events, then C's first 88.
    expect(byReason('device_revoked')).toBe(expected.device_revoked);
    expect(byReason('unknown_device')).toBe(100 - expected.device_revoked);
    expect(reference.problems[0]).toMatchObject({ deviceId: 'dev-0000000000000b01', seq: 31, reason: 'device_revoked' });

    // Each run starts its threads afresh (under tsx here, slow on a loaded machine): a few splits.
    for (const [signatureWorkers, pageSize] of [[1, 1], [3, 7], [5, 5000]] as const) {
      const report = await app.services.integrity.verifyWithSignatures(registry, { signatureWorkers, pageSize });
      expect(report.signatures, `${signatureWorkers} workers, page size ${pageSize}`).toEqual(reference);
      expect(report.events).toBe(80 + 42 + 230 + 7);
    }

    // Through the API: the whole report counts them, and the failing events make it not ok.
    const admin = await app.signInAs((await app.must({ userId: null }, 'users:list', {}))[0]?.id ?? '');
    const seen: AppEvent[] = [];
    const stop = app.services.events.subscribe((e) => seen.push(e));
    const verdict = await app.must(admin, 'history:verify', {});
    stop();
    expect(verdict.ok).toBe(false);
    expect(verdict.signatures).toEqual(reference);
    const progress = progressOf(seen);
    expect(progress.at(-1)).toMatchObject({ state: 'finished', done: verdict.events, total: verdict.events });
    const running = progress.slice(0, -1).map((p) => p.done);
    expect(running).toEqual([...running].sort((x, y) => x - y));
  }, 400_000);

  it('a cancel ends every worker with `cancelled`; the next check runs to the end, and a clean ledger lists nothing', async () => {
    app = await openTestApp();
    await app.signIn('admin');
    await app.services.ledger.append(Array.from({ length: 300 }, (_, i) => change(i)));
    const registry = await app.services.trust.registry();
    const cancelAtStart = app.services.events.subscribe((e) => {
      if (e.type === 'progress' && e.kind === 'integrity' && e.state === 'running') app?.services.integrity.cancel();
    });
    await expect(app.services.integrity.verifyWithSignatures(registry, { signatureWorkers: 3 })).rejects.toMatchObject({ code: 'cancelled' });
    cancelAtStart();
    const after = await app.services.integrity.verifyWithSignatures(registry, { signatureWorkers: 4 });
    expect(after.signatures).toEqual({ signed: 300, legacyUnsigned: 0, failing: 0, problems: [] });
    expect(after.ok).toBe(true);
  }, 200_000);
});
