import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { AppEventType } from '../../../src/shared/events';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, textMessage, webhook } from '../../helpers/webhook';
import { bigCsvBytes } from './big-csv';
import { uploadCsv } from './upload';

/*
 * A large import and a large message file run in slices, and other API calls are answered
 * between the slices, not after the whole job. Shown by the order of events, never by time:
 *  - the job's own write events (one per slice) are logged as they are emitted;
 *  - once the first slice is written, the test asks for a page of contacts (and, for the
 *    messages, a contact's statuses) and logs when the answer arrives;
 *  - the answer must come before the job finishes, with more of the job's slices written
 *    after it. A job that held the main process to the end would answer the page last.
 * The sizes give many slices whatever the machine's speed (an import slice holds at most
 * 1,000 rows; ingestion writes 50 messages per slice).
 */

let app: TestApp;
let admin: Session;

beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: `+${BUSINESS.display}`, phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' });
});
afterEach(async () => app.dispose());

// Logs the job's write events; `first` resolves at the first one.
function watch(kind: AppEventType) {
  const log: string[] = [];
  let seen: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const stop = app.services.events.subscribe((event) => {
    if (event.type !== kind) return;
    log.push('slice');
    seen();
  });
  return { log, first, stop };
}

const slicesAfter = (log: string[], mark: string) => log.slice(log.indexOf(mark) + 1, log.indexOf('job done')).filter((e) => e === 'slice').length;

it('a contacts page is answered while a 6,000-row import is still writing', async () => {
  const rows = 6000;
  const jobId = await uploadCsv(app, admin, 'big.csv', bigCsvBytes(rows));
  const analysis = await app.must(admin, 'imports:analyze', { jobId });
  const watcher = watch('contacts:changed');

  const applying = app.must(admin, 'imports:apply', { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice', defaultExplanation: 'fair' } }).then((summary) => {
    watcher.log.push('job done');
    return summary;
  });
  await watcher.first;
  const page = await app.must(admin, 'contacts:list', { offset: 0, limit: 50 });
  watcher.log.push('page answered');
  const summary = await applying;
  watcher.stop();

  expect(summary.counts.rows).toBe(rows);
  expect(await app.services.db.contacts.count().exec()).toBe(rows);
  // The page saw part of the import: written slices, not all and not none.
  expect(page.total).toBeGreaterThan(0);
  expect(page.total).toBeLessThan(rows);
  expect(page.rows).toHaveLength(50);
  expect(watcher.log.indexOf('page answered')).toBeLessThan(watcher.log.indexOf('job done'));
  expect(slicesAfter(watcher.log, 'page answered')).toBeGreaterThan(0);
}, 180_000);

it('a contacts page and a contact\'s statuses are answered while a 2,000-message file is being ingested', async () => {
  const messages = 2000;
  const sender = (i: number) => `48601${String(300_000 + i).padStart(6, '0')}`;
  const content = Array.from({ length: messages }, (_, i) => JSON.stringify(webhook([textMessage(`wamid.inter.${i}`, i % 2 === 0 ? 'STOP' : 'START', 1_767_000_000 + i, sender(i))], { from: sender(i) }))).join('\n');
  const watcher = watch('consent:changed');

  const ingesting = app.must(admin, 'messages:ingestFile', { fileName: 'inbound.jsonl', content }).then((report) => {
    watcher.log.push('job done');
    return report;
  });
  await watcher.first;
  const page = await app.must(admin, 'contacts:list', { offset: 0, limit: 10 });
  const first = page.rows[0];
  const one = first ? await app.must(admin, 'contacts:get', { id: first.id }) : null;
  watcher.log.push('page answered');
  const report = await ingesting;
  watcher.stop();

  expect(report.itemCount).toBe(messages);
  expect(report.counts).toMatchObject({ opted_out: messages / 2, opted_in: messages / 2 });
  expect(page.total).toBeGreaterThan(0);
  expect(page.total).toBeLessThan(messages);
  expect(one?.id).toBe(first?.id);
  expect(Object.keys(one?.statuses ?? {})).toHaveLength(1);
  expect(watcher.log.indexOf('page answered')).toBeLessThan(watcher.log.indexOf('job done'));
  expect(slicesAfter(watcher.log, 'page answered')).toBeGreaterThan(0);
}, 180_000);
