import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';
import { bigCsv } from './big-csv';
import { uploadCsv, utf8 } from './upload';

// A wrong file imported: its consent changes are undone by compensating events, never by
// deleting, and a status changed again since the import is left alone.
let app: TestApp;
let admin: Session;
let typeId: string;

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
});
afterEach(async () => app.dispose());

async function importFile(text: string, fileName: string) {
  const jobId = await uploadCsv(app, admin, fileName, utf8(text));
  const analysis = await app.must(admin, 'imports:analyze', { jobId });
  return app.must(admin, 'imports:apply', { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice', defaultExplanation: '' } });
}

const status = async (waNumber: string) => {
  const contact = app.services.directory.findByWaNumber(waNumber);
  return (await app.services.ledger.state(contact?.id ?? '', typeId))?.status ?? 'not_specified';
};

describe('undoing an import', () => {
  it('restores every status the import changed, except one changed again since; nothing is deleted and it cannot run twice', async () => {
    await importFile('name;phone;marketing\r\nAnna;601 234 567;tak\r\nPiotr;602 345 678;tak\r\n', 'first.csv');
    const wrong = await importFile('name;phone;marketing\r\nAnna;601 234 567;nie\r\nPiotr;602 345 678;nie\r\nNowa;603 456 789;tak\r\n', 'wrong.csv');
    expect(wrong.eventsRecorded).toBe(3);
    // Piotr subscribes again after the wrong import: his newer choice must stand.
    const piotr = app.services.directory.findByWaNumber('+48602345678');
    await app.must(admin, 'consent:change', {
      contactId: piotr?.id ?? '', typeId, action: 'resubscribe', legalBasis: 'consent_with_notice', explanation: 'asked again by phone',
      basedOn: (await app.services.ledger.state(piotr?.id ?? '', typeId))?.lastEventId ?? '',
    });
    const eventsBefore = await app.services.db.consent_events.count().exec();

    const result = await app.must(admin, 'imports:undo', { jobId: wrong.jobId, explanation: 'wrong file' });
    expect(result).toMatchObject({ restored: 2, skipped: 1, skippedContacts: [{ name: 'Piotr' }] });
    expect(await status('+48601234567')).toBe('subscribed');
    expect(await status('+48602345678')).toBe('subscribed');
    expect(await status('+48603456789')).toBe('not_specified');
    // Compensated, not deleted: the wrong import's events are still there, plus two.
    expect(await app.services.db.consent_events.count().exec()).toBe(eventsBefore + 2);
    const anna = app.services.directory.findByWaNumber('+48601234567');
    const last = (await app.services.ledger.events(anna?.id ?? '')).at(-1);
    expect(last).toMatchObject({
      status: 'subscribed', previousStatus: 'unsubscribed', source: 'csv_import', legalBasis: 'consent_with_notice', explanation: 'wrong file',
      actor: { kind: 'user' }, evidence: { undoOf: wrong.importId, fileName: 'wrong.csv' },
    });
    // The contact the wrong file created stays; only consent is undone.
    expect(app.services.directory.findByWaNumber('+48603456789')?.name).toBe('Nowa');

    expect(await app.as(admin)('imports:undo', { jobId: wrong.jobId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const recent = await app.must(admin, 'imports:recent', {});
    expect(recent.map((r) => [r.fileName, r.eventsRecorded, r.undone?.restored ?? null])).toEqual([['wrong.csv', 3, 2], ['first.csv', 2, null]]);
    const audit = await app.must(admin, 'audit:list', { action: 'import.undone' });
    expect(audit.entries.map((e) => [e.actorName, e.details.fileName, e.details.restored])).toEqual([[expect.any(String), 'wrong.csv', 2]]);
  });

  it('undoing a confirmed resubscribe of a contact who had opted out themselves restores their protection', async () => {
    const contact = await app.must(admin, 'contacts:create', { name: 'Stop Sender', phoneInput: '+48 605 000 111' });
    await app.services.ledger.append([{
      contactId: contact.id, typeId, status: 'unsubscribed', source: 'keyword', legalBasis: '', explanation: 'STOP',
      actor: { kind: 'contact', id: contact.id, name: contact.name }, evidence: { messageId: 'm1' },
    }]);
    const file = 'name,phone,status\nStop Sender,605 000 111,subscribed\n';
    const jobId = await uploadCsv(app, admin, 'resubscribe.csv', utf8(file));
    const analysis = await app.must(admin, 'imports:analyze', { jobId });
    const mapping = { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice' as const, defaultExplanation: '' };
    const applied = await app.must(admin, 'imports:apply', { jobId, mapping, confirmOwnOptOutRows: [2] });
    expect(applied.eventsRecorded).toBe(1);
    expect(await app.services.ledger.state(contact.id, typeId)).toMatchObject({ status: 'subscribed', ownOptOut: false });

    expect(await app.must(admin, 'imports:undo', { jobId })).toMatchObject({ restored: 1, skipped: 0 });
    expect(await app.services.ledger.state(contact.id, typeId)).toMatchObject({ status: 'unsubscribed', ownOptOut: true });
    // The projection built from scratch agrees with the one extended event by event.
    await app.services.ledger.rebuildProjection();
    expect(await app.services.ledger.state(contact.id, typeId)).toMatchObject({ status: 'unsubscribed', ownOptOut: true });
    // So a later file saying "subscribed" needs the user's confirmation again.
    const again = await uploadCsv(app, admin, 'again.csv', utf8(file + 'Other,606 000 222,subscribed\n'));
    await app.must(admin, 'imports:analyze', { jobId: again });
    const dry = await app.must(admin, 'imports:dryRun', { jobId: again, mapping });
    expect(dry.needsConfirmation).toEqual([{ row: 2, name: 'Stop Sender', typeId }]);
  });

  it('an undo stopped before it was noted (the app killed) runs again to the same result, recording nothing twice', async () => {
    const applied = await importFile('name;phone;marketing\r\nAnna;601 234 567;tak\r\nPiotr;602 345 678;nie\r\n', 'a.csv');
    const first = await app.must(admin, 'imports:undo', { jobId: applied.jobId });
    const events = await app.services.db.consent_events.count().exec();
    // What a kill between the ledger write and noting the undo on the job leaves behind.
    const job = await app.services.db.import_jobs.findOne(applied.jobId).exec();
    const { undone: _undone, ...summary } = job?.toMutableJSON().summary as Record<string, unknown>;
    void _undone;
    await job?.incrementalPatch({ summary });

    expect(await app.must(admin, 'imports:undo', { jobId: applied.jobId })).toEqual(first);
    expect(await app.services.db.consent_events.count().exec()).toBe(events);
    expect(await status('+48601234567')).toBe('not_specified');
  });

  it('undoes an import larger than one page of the undo, every status once', async () => {
    const applied = await importFile(bigCsv(1200), 'big.csv');
    expect(applied.eventsRecorded).toBe(1200);
    const events = await app.services.db.consent_events.count().exec();
    const progress: number[] = [];
    const off = app.services.events.subscribe((e) => { if (e.type === 'progress' && e.kind === 'import-undo') progress.push(e.done); });
    expect(await app.must(admin, 'imports:undo', { jobId: applied.jobId })).toMatchObject({ restored: 1200, skipped: 0 });
    off();
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1200);
    expect(await app.services.db.consent_events.count().exec()).toBe(events + 1200);
    const states = await app.services.db.consent_state.find().exec();
    expect(states.filter((s) => s.typeId === typeId && s.status !== 'not_specified')).toEqual([]);
  });

  it('a cancelled import, once undone, is no longer offered for resuming', async () => {
    const jobId = await uploadCsv(app, admin, 'big.csv', utf8(bigCsv(3000)));
    const analysis = await app.must(admin, 'imports:analyze', { jobId });
    // Cancelled as it starts (the flag is set at once): the first slice is written, then it stops.
    const off = app.services.events.subscribe((e) => {
      if (e.type === 'progress' && e.kind === 'import' && e.state === 'running') void app.services.imports.cancel(jobId);
    });
    const cancelled = await app.must(admin, 'imports:apply', { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice', defaultExplanation: '' } });
    off();
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.eventsRecorded).toBeGreaterThan(0);
    expect(await app.must(admin, 'imports:list', {})).toHaveLength(1);

    expect(await app.must(admin, 'imports:undo', { jobId })).toMatchObject({ restored: cancelled.eventsRecorded });
    expect(await app.must(admin, 'imports:list', {})).toEqual([]);
    expect(await app.as(admin)('imports:resume', { jobId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('refuses an import that is not finished, an unknown one, and other roles', async () => {
    const jobId = await uploadCsv(app, admin, 'x.csv', utf8('name;phone\r\nAnna;601 234 567\r\n'));
    expect(await app.as(admin)('imports:undo', { jobId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await app.as(admin)('imports:undo', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await app.as(admin)('imports:undo', { jobId, extra: 1 } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const agent = await app.signIn('field_agent');
    expect(await app.as(agent)('imports:undo', { jobId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.as(agent)('imports:recent', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
