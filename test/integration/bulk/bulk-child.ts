// Child process for bulk-crash.test.ts: opens the app on a durable store, imports n
// contacts, then applies a bulk change to all of them and prints its progress until the
// parent kills it.
// Usage: node --import tsx bulk-child.ts <dataDir> <csv file>
import { readFileSync } from 'node:fs';
import { openApp } from '../../../src/main/app';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { quietLog } from '../../helpers/temp-app';
import { TEST_SECRET } from '../../helpers/test-secret';
import { uploadCsv } from '../imports/upload';

const [dataDir, csvPath] = process.argv.slice(2);
if (!dataDir || !csvPath) throw new Error('usage: bulk-child.ts <dataDir> <csv file>');

const app = await openApp({ dataDir, log: quietLog, storage: getRxStorageSQLite({ directory: dataDir }) });
const must = async <T>(session: { userId: string | null }, channel: string, input: unknown): Promise<T> => {
  const r = await app.api.call(channel, input, session);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
const session = { userId: null as string | null };
session.userId = (await must<{ id: string }>(session, 'users:create', { name: 'Ada Admin', role: 'admin', secret: TEST_SECRET })).id;
const typeId = (await must<{ id: string }>(session, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: '1001', businessName: 'Sklep' })).id;
const jobId = await uploadCsv({ must: (s, c, i) => must(s, c, i) }, session, 'big.csv', readFileSync(csvPath));
const analysis = await must<{ mapping: string[] }>(session, 'imports:analyze', { jobId });
// The file's marketing column is left out: every contact starts "not specified".
const columns = analysis.mapping.map((t) => (t.startsWith('status:') ? 'ignore' : t));
await must(session, 'imports:apply', { jobId, mapping: { columns, defaultLegalBasis: '', defaultExplanation: '' } });
const preview = await must<{ bulkId: string; change: number }>(session, 'bulk:preview', {
  target: typeId, status: 'subscribed', selection: { query: { search: '' } }, legalBasis: 'legitimate_interest_client', explanation: 'Existing customers',
});
process.stdout.write(`BULK ${preview.bulkId} ${preview.change}\n`);
app.events.subscribe((e) => {
  if (e.type === 'progress' && e.kind === 'bulk') process.stdout.write(`PROGRESS ${e.done}\n`);
});
await must(session, 'bulk:apply', { bulkId: preview.bulkId });
process.stdout.write('DONE\n');
