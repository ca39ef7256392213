import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// A history file export goes only where main's chooser (the save dialog in the desktop app)
// says: the whole file appears there at the end, a file already there (the dialog agreed to
// replace it) survives a cancel or a failure, and a closed dialog writes nothing.

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
  explanation: `Fair ${i}`,
  actor: { kind: 'user', id: 'u1', name: 'Tester' },
  evidence: {},
});

describe('history file exports go where the user chose', () => {
  it('writes to the chosen path, keeps what was there on cancel, and writes nothing when the dialog is closed', async () => {
    const folder = makeTempDir('consent-desk-chosen-');
    let answer: string | null = join(folder, 'my history.csv');
    const asked: string[] = [];
    app = await openTestApp({
      chooseExportPath: async (suggested) => {
        asked.push(suggested);
        return answer;
      },
    });
    const admin = await app.signIn('admin');
    await app.services.ledger.append(Array.from({ length: 4100 }, (_, i) => change(i)));

    const file = await app.must(admin, 'history:exportFile', { format: 'csv' });
    expect(file).toMatchObject({ fileName: 'my history.csv', path: join(folder, 'my history.csv'), rows: 4100 });
    expect(readFileSync(file.path, 'utf8')).toBe((await app.must(admin, 'history:exportCsv', {})).content);
    expect(asked[0]).toMatch(/^consent-history-[\d-]+\.csv$/);

    // A file the user agreed to replace stays whole when the export is cancelled.
    answer = join(folder, 'kept.jsonl');
    writeFileSync(answer, 'what was there\n');
    const stop = app.services.events.subscribe((e) => {
      if (e.type === 'progress' && e.kind === 'export' && e.state === 'running' && e.done > 0) void app?.must(admin, 'history:cancelExport', {});
    });
    expect(await app.as(admin)('history:exportFile', { format: 'jsonl' })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    stop();
    expect(readFileSync(answer, 'utf8')).toBe('what was there\n');
    expect(asked[1]).toMatch(/\.jsonl$/);

    // Replaced when the export completes.
    const replaced = await app.must(admin, 'history:exportFile', { format: 'jsonl', status: 'unsubscribed' });
    expect(replaced.rows).toBe(2050);
    expect(readFileSync(answer, 'utf8')).toBe((await app.must(admin, 'history:exportJsonl', { status: 'unsubscribed' })).content);

    // The dialog closed, or a path that is not a full one: nothing is written anywhere.
    answer = null;
    expect(await app.as(admin)('history:exportFile', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    answer = 'relative.csv';
    expect(await app.as(admin)('history:exportFile', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(readdirSync(folder).sort()).toEqual(['kept.jsonl', 'my history.csv']);
  }, 180_000);
});
