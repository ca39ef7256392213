import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { uploadCsv, utf8 } from './upload';

// What an import stores for the awkward files of issue 19, end to end against the store:
// the corpus test checks the dry run; this checks what the import then writes.
const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'csv');
let app: TestApp;
let admin: Session;
let typeId: string;

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
});
afterEach(async () => app.dispose());

async function prepare(bytes: Uint8Array, format?: { encoding?: 'utf-8' | 'windows-1250' }) {
  const jobId = await uploadCsv(app, admin, 'file.csv', bytes);
  const analysis = await app.must(admin, 'imports:analyze', { jobId, ...(format ? { format } : {}) });
  return { jobId, analysis, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: 'test' } };
}

const allNames = async () => (await app.services.db.contacts.find().exec()).map((c) => c.name);

describe('imports of awkward files', () => {
  it('reads a file whose Windows-1250 bytes start after 64 KB as Windows-1250 throughout, and stores no U+FFFD', async () => {
    const { jobId, analysis, mapping } = await prepare(readFileSync(join(dir, 'late-cp1250.csv')));
    expect(analysis.encodingChange).toMatchObject({ from: 'utf-8', to: 'windows-1250' });
    expect(analysis.encodingChange?.atByte).toBeGreaterThan(64 * 1024);
    const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
    expect(summary.contactsCreated).toBe(1802);
    expect(app.services.directory.findByWaNumber('+48601111222')?.name).toBe('Łukasz Żmuda');
    expect(app.services.directory.findByWaNumber('+48601111333')?.name).toBe('Zofia Śliwa-Gęś');
    expect((await allNames()).filter((n) => n.includes('\ufffd'))).toEqual([]);
  });

  it('refuses UTF-8 chosen by hand for a file that is not UTF-8 further on, and a file mixing two encodings; nothing is written', async () => {
    const late = await uploadCsv(app, admin, 'late.csv', readFileSync(join(dir, 'late-cp1250.csv')));
    const forced = await app.as(admin)('imports:analyze', { jobId: late, format: { encoding: 'utf-8' } });
    expect(forced).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { reason: 'encoding_mismatch' } } });
    const mixed = await uploadCsv(app, admin, 'mixed.csv', readFileSync(join(dir, 'late-mixed-encodings.csv')));
    const refused = await app.as(admin)('imports:analyze', { jobId: mixed });
    expect(refused).toMatchObject({ ok: false, error: { details: { reason: 'mixed_encodings' } } });
    if (!refused.ok) expect(refused.error.message).toMatch(/mixes two encodings.*byte/);
    // Neither can be checked or applied.
    expect(await app.as(admin)('imports:dryRun', { jobId: mixed, mapping: { columns: ['name', 'phone'], defaultLegalBasis: '', defaultExplanation: '' } })).toMatchObject({ ok: false });
    expect(await app.services.db.contacts.count().exec()).toBe(0);
  });

  it('names a 10 MB single line for what it is', async () => {
    const bytes = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const jobId = await uploadCsv(app, admin, 'line.csv', bytes, 4 * 1024 * 1024);
    const analyzed = await app.as(admin)('imports:analyze', { jobId });
    expect(analyzed).toMatchObject({ ok: false, error: { code: 'not_csv', details: { reason: 'line_too_long' } } });
    if (!analyzed.ok) expect(analyzed.error.message).toMatch(/longer than 64 KB/);
  });

  it('records the exact row numbers of the rows after an over-long record as evidence', async () => {
    const { jobId, mapping } = await prepare(readFileSync(join(dir, 'over-long-record.csv')));
    const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
    expect(summary.counts).toMatchObject({ rows: 5, valid: 3 });
    expect(summary.issues.map((i) => [i.row, i.code])).toEqual([[3, 'record_too_long'], [5, 'invalid_number']]);
    const olga = app.services.directory.findByWaNumber('+48605678901');
    const events = await app.services.ledger.events(olga?.id ?? '');
    expect(events.map((e) => e.evidence.row)).toEqual([6]);
    expect(await app.services.db.contacts.count().exec()).toBe(3);
  });

  it('leaves a contact as it is when the file disagrees with itself about it, in either order', async () => {
    // Anna is subscribed; the file says "tak" for her on one row and "nie" on another.
    const seed = await prepare(utf8('name,phone,marketing\nAnna Nowak,601 234 567,tak\n'));
    await app.must(admin, 'imports:apply', { jobId: seed.jobId, mapping: seed.mapping });
    for (const file of ['conflicting-duplicates-optout-last.csv', 'conflicting-duplicates-optout-first.csv']) {
      const { jobId, mapping } = await prepare(readFileSync(join(dir, file)));
      const dry = await app.must(admin, 'imports:dryRun', { jobId, mapping });
      const summary = await app.must(admin, 'imports:apply', { jobId, mapping });
      expect(summary.counts).toEqual(dry.counts);
      expect(summary.issues.filter((i) => i.code === 'conflicting_duplicate')).toHaveLength(2);
    }
    const anna = app.services.directory.findByWaNumber('+48601234567');
    const events = await app.services.ledger.events(anna?.id ?? '');
    expect(events.map((e) => e.status)).toEqual(['subscribed']);
  });

  it('dry run and import agree after a manual unsubscribe: re-importing the file keeps the later change', async () => {
    const text = 'name,phone,marketing\nAnna Nowak,601 234 567,tak\nPiotr Zieliński,602 345 678,tak\n';
    const first = await prepare(utf8(text));
    await app.must(admin, 'imports:apply', { jobId: first.jobId, mapping: first.mapping });
    const anna = app.services.directory.findByWaNumber('+48601234567');
    const [last] = await app.services.ledger.events(anna?.id ?? '');
    await app.must(admin, 'consent:change', { contactId: anna?.id ?? '', typeId, action: 'unsubscribe', explanation: 'asked by phone', basedOn: last?.id ?? '' });

    const again = await prepare(utf8(text));
    const dry = await app.must(admin, 'imports:dryRun', { jobId: again.jobId, mapping: again.mapping });
    expect(dry.counts.statuses).toMatchObject({ change: 0, unchanged: 1, already_imported: 1 });
    const before = await app.services.db.consent_events.count().exec();
    const summary = await app.must(admin, 'imports:apply', { jobId: again.jobId, mapping: again.mapping });
    expect(summary.counts).toEqual(dry.counts);
    expect(summary.eventsRecorded).toBe(dry.counts.statuses.change);
    expect(await app.services.db.consent_events.count().exec()).toBe(before);
  });
});
