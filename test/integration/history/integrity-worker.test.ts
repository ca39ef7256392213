import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import type { ChainIntegrityReport } from '../../../src/main/integrity/integrity-service';
import { consentEventSchema } from '../../../src/main/store/schemas/consent-schemas';
import type { ConsentEvent } from '../../../src/shared/domain';
import type { AppEvent } from '../../../src/shared/events';
import { openAppStoreFile } from '../../helpers/app-store-file';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// The integrity check runs in a worker thread on its own read-only connection. Its verdicts
// must be those of the main-thread check (which reads through the store's queries) over the
// same tampered file, at any page size; it reports progress and can be cancelled.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const change = (i: number): ConsentChange => ({
  contactId: `c${i % 7}`,
  typeId: 'mkt',
  status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
  source: 'manual',
  legalBasis: i % 2 === 0 ? 'consent_with_notice' : '',
  explanation: `Change ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
});

const verdicts = (r: ChainIntegrityReport) => ({ ok: r.ok, events: r.events, devices: r.devices, heads: r.heads, counts: r.counts, issues: r.issues, truncated: r.truncated });

const progressOf = (events: AppEvent[]) => events.flatMap((e) => (e.type === 'progress' && e.kind === 'integrity' ? [e] : []));

describe('integrity check in a worker thread', () => {
  it('gives the main-thread verdicts over edited, swapped, re-owned, duplicated and removed rows, at every page size', async () => {
    const dataDir = makeTempDir('consent-desk-worker-');
    app = await openTestApp({ dataDir });
    await app.services.ledger.append(Array.from({ length: 60 }, (_, i) => change(i)));
    const clean = await app.services.integrity.verify({ pageSize: 7 });
    expect(verdicts(clean)).toEqual(verdicts(await app.services.integrity.verifyAll()));
    expect(clean).toMatchObject({ ok: true, events: 60, devices: 1 });
    await app.close();

    const sql = openAppStoreFile(dataDir);
    const table = `"consent_events-${consentEventSchema.version}"`;
    const docs = (sql.prepare(`SELECT data FROM ${table} WHERE deleted = 0`).pluck(true).all() as string[]).map((d) => JSON.parse(d) as ConsentEvent);
    const at = (seq: number) => {
      const d = docs.find((x) => x.seq === seq);
      if (!d) throw new Error(`no seq ${seq}`);
      return d;
    };
    const rewrite = (doc: ConsentEvent, patch: Record<string, unknown>) =>
      sql.prepare(`UPDATE ${table} SET data = ? WHERE json_extract(data, '$.id') = ?`).run(JSON.stringify({ ...doc, ...patch }), doc.id);
    rewrite(at(7), { seq: 45 });
    rewrite(at(14), { seq: 2 });
    rewrite(at(21), { seq: 'twenty-one' });
    rewrite(at(28), { seq: 29 });
    rewrite(at(29), { seq: 28 });
    rewrite(at(35), { seq: 35.5 });
    rewrite(at(50), { explanation: 'Changed in the file' });
    // A row that names another device in its data but sits under the old one in the index.
    rewrite(at(55), { deviceId: 'device-forged' });
    sql.prepare(`DELETE FROM ${table} WHERE json_extract(data, '$.id') = ?`).run(at(40).id);
    sql.close();

    app = await openTestApp({ dataDir });
    const reference = await app.services.integrity.verifyAll({ pageSize: 100_000 });
    expect(reference.ok).toBe(false);
    expect(reference.events).toBe(59);
    for (const pageSize of [1, 7, 5000]) {
      expect(verdicts(await app.services.integrity.verify({ pageSize })), `page size ${pageSize}`).toEqual(verdicts(reference));
    }
    // The issue cap is the same too: counts stay exact, the list is cut and says so.
    const capped = await app.services.integrity.verify({ maxIssues: 2 });
    expect(verdicts(capped)).toEqual(verdicts(await app.services.integrity.verifyAll({ maxIssues: 2 })));
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.issues).toHaveLength(2);
  }, 180_000);

  it('reports progress n of N, and a cancel ends the check with `cancelled`, recording nothing', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    await app.services.ledger.append(Array.from({ length: 300 }, (_, i) => change(i)));
    const seen: AppEvent[] = [];
    const stop = app.services.events.subscribe((e) => seen.push(e));

    await app.must(admin, 'history:verify', {});
    const finished = progressOf(seen);
    expect(finished.length).toBeGreaterThan(1);
    expect(finished.at(-1)).toMatchObject({ state: 'finished', done: 300, total: 300 });
    for (const p of finished.slice(0, -1)) expect(p).toMatchObject({ state: 'running', total: 300 });
    const running = finished.slice(0, -1).map((p) => p.done);
    expect(running).toEqual([...running].sort((a, b) => a - b));

    // Cancel as soon as the worker reports it has started: deterministic, whatever its speed.
    seen.length = 0;
    const audited = (await app.services.audit.recent('integrity.check', 10)).length;
    const cancelAtStart = app.services.events.subscribe((e) => {
      if (e.type === 'progress' && e.kind === 'integrity' && e.state === 'running') void app?.must(admin, 'history:cancelVerify', {});
    });
    const result = await app.as(admin)('history:verify', {});
    cancelAtStart();
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(progressOf(seen).at(-1)).toMatchObject({ state: 'cancelled' });
    expect((await app.services.audit.recent('integrity.check', 10)).length).toBe(audited);
    // Nothing is running now; a new check runs to the end.
    expect(await app.must(admin, 'history:cancelVerify', {})).toEqual({ cancelled: false });
    expect(await app.must(admin, 'history:verify', {})).toMatchObject({ ok: true, events: 300 });
    stop();
  });

  it('refuses a second check while one runs, and an unsigned caller', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    await app.services.ledger.append(Array.from({ length: 50 }, (_, i) => change(i)));
    const [first, second] = await Promise.all([app.as(admin)('history:verify', {}), app.as(admin)('history:verify', {})]);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await app.as({ userId: null })('history:cancelVerify', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await app.as(admin)('history:cancelVerify', { all: true } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
