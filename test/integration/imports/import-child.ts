// Child process for import-resume.test.ts: opens the app on a durable store, imports a
// big CSV and prints its progress until the parent kills it; with "undo", finishes the
// import and then undoes it, printing the undo's progress.
// Usage: node --import tsx import-child.ts <dataDir> <csv file> [undo]
import { readFileSync } from 'node:fs';
import { openApp } from '../../../src/main/app';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { quietLog } from '../../helpers/temp-app';
import { TEST_SECRET } from '../../helpers/test-secret';
import { uploadCsv } from './upload';

const [dataDir, csvPath, mode] = process.argv.slice(2);
if (!dataDir || !csvPath) throw new Error('usage: import-child.ts <dataDir> <csv file>');

const app = await openApp({ dataDir, log: quietLog, storage: getRxStorageSQLite({ directory: dataDir }) });
const must = async <T>(session: { userId: string | null }, channel: string, input: unknown): Promise<T> => {
  const r = await app.api.call(channel, input, session);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
const session = { userId: null as string | null };
const adminId = (await must<{ id: string }>(session, 'users:create', { name: 'Ada Admin', role: 'admin', secret: TEST_SECRET })).id;
await must(session, 'session:signIn', { userId: adminId, secret: TEST_SECRET });
await must(session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' });
const jobId = await uploadCsv({ must: (s, c, i) => must(s, c, i) }, session, 'big.csv', readFileSync(csvPath));
const analysis = await must<{ mapping: string[] }>(session, 'imports:analyze', { jobId });
process.stdout.write(`JOB ${jobId}\n`);
app.events.subscribe((e) => {
  if (e.type === 'progress' && e.kind === 'import' && mode !== 'undo') process.stdout.write(`PROGRESS ${e.done}\n`);
  if (e.type === 'progress' && e.kind === 'import-undo') process.stdout.write(`PROGRESS ${e.done}\n`);
});
await must(session, 'imports:apply', { jobId, mapping: { columns: analysis.mapping, defaultLegalBasis: 'consent_with_notice', defaultExplanation: 'Fair' } });
if (mode === 'undo') await must(session, 'imports:undo', { jobId });
process.stdout.write('DONE\n');
