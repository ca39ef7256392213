import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import type { AppEvent } from '../../../src/shared/events';
import { openTestApp, type TestApp } from '../../helpers/temp-app';

// History exports written to a file slice by slice: the bytes are those of the in-memory
// exports (same columns, escaping, BOM, line ends), with progress, and a cancel keeps no file.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const change = (i: number): ConsentChange => ({
  contactId: `c${i % 5}`,
  typeId: 'mkt',
  status: i % 2 === 0 ? 'subscribed' : 'unsubscribed',
  source: 'manual',
  legalBasis: i % 2 === 0 ? 'consent_with_notice' : '',
  // Formulas, separators, quotes, line breaks and Polish letters: the escaping must match.
  explanation: i % 3 === 0 ? `=HYPERLINK("x");${i}` : `Zażółć "gęślą"\njaźń ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: { row: i },
});

describe('history exports to a file', () => {
  it('writes the same bytes as the in-memory exports, any filter, with progress', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    // More than one slice (2,000 rows) so the file is written in several parts.
    await app.services.ledger.append(Array.from({ length: 4500 }, (_, i) => change(i)));
    const seen: AppEvent[] = [];
    const stop = app.services.events.subscribe((e) => seen.push(e));
    for (const delimiter of [',', ';'] as const) {
      const file = await app.must(admin, 'history:exportFile', { format: 'csv', delimiter });
      const inMemory = await app.must(admin, 'history:exportCsv', { delimiter });
      expect(file.rows).toBe(4500);
      expect(readFileSync(file.path, 'utf8')).toBe(inMemory.content);
    }
    const jsonl = await app.must(admin, 'history:exportFile', { format: 'jsonl', status: 'unsubscribed' });
    expect(jsonl.rows).toBe(2250);
    expect(readFileSync(jsonl.path, 'utf8')).toBe((await app.must(admin, 'history:exportJsonl', { status: 'unsubscribed' })).content);
    const none = await app.must(admin, 'history:exportFile', { format: 'csv', contactId: 'nobody' });
    expect(none.rows).toBe(0);
    expect(readFileSync(none.path, 'utf8')).toBe((await app.must(admin, 'history:exportCsv', { contactId: 'nobody' })).content);
    stop();
    const progress = seen.flatMap((e) => (e.type === 'progress' && e.kind === 'export' ? [e] : []));
    expect(progress.filter((p) => p.state === 'finished')).toHaveLength(4);
    const firstRun = progress.slice(0, progress.findIndex((p) => p.state === 'finished') + 1);
    expect(firstRun.map((p) => p.done)).toEqual([0, 2000, 4000, 4500, 4500]);
    expect(firstRun.every((p) => p.total === 4500)).toBe(true);
    // Every file has its own name; the audit log names them.
    expect(new Set(readdirSync(join(app.dataDir, 'exports'))).size).toBe(4);
    expect((await app.services.audit.recent('export.history', 20)).length).toBeGreaterThanOrEqual(8);
  }, 180_000);

  it('cancel stops after the current slice and keeps no file; bad input changes nothing', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    await app.services.ledger.append(Array.from({ length: 4100 }, (_, i) => change(i)));
    const stopAtFirstSlice = app.services.events.subscribe((e) => {
      if (e.type === 'progress' && e.kind === 'export' && e.state === 'running' && e.done > 0) void app?.must(admin, 'history:cancelExport', {});
    });
    const result = await app.as(admin)('history:exportFile', { format: 'jsonl' });
    stopAtFirstSlice();
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const folder = join(app.dataDir, 'exports');
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    expect(await app.must(admin, 'history:cancelExport', {})).toEqual({ cancelled: false });

    for (const bad of [{ format: 'xml' }, { format: 'csv', delimiter: '|' }, { format: 'csv', path: '/etc/passwd' }, {}]) {
      expect(await app.as(admin)('history:exportFile', bad as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await app.as({ userId: null })('history:exportFile', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  }, 180_000);
});
