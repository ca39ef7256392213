// Child process for ledger-crash.test.ts: opens the real app over a data folder and
// records consent events as fast as it can, printing "ACK <id>" only after append
// resolved, until it is killed.
import { openApp } from '../../../src/main/app';
import { quietLog } from '../../helpers/temp-app';

const [dataDir, runId] = process.argv.slice(2);
if (!dataDir || !runId) throw new Error('usage: ledger-writer.child.ts <dataDir> <runId>');

const app = await openApp({ dataDir, log: quietLog });
const types = await app.services.types.list();
const contacts = await app.services.contacts.list({ search: '', typeId: '', status: '', sort: 'name', direction: 'asc', offset: 0, limit: 1000 });
const typeId = types[0]?.id;
if (!typeId || contacts.rows.length === 0) throw new Error('seed the folder first');
process.stdout.write('READY\n');

let n = 0;
for (;;) {
  const batch = Array.from({ length: 1 + (n % 7) }, (_, i) => {
    const contact = contacts.rows[(n + i) % contacts.rows.length];
    if (!contact) throw new Error('no contact');
    return {
      contactId: contact.id,
      typeId,
      status: (n + i) % 2 === 0 ? ('subscribed' as const) : ('unsubscribed' as const),
      source: 'manual' as const,
      legalBasis: 'consent_with_notice' as const,
      explanation: `run ${runId} batch ${n}`,
      actor: { kind: 'user' as const, id: 'u1', name: 'Crash Tester' },
      evidence: { run: runId, batch: n },
    };
  });
  const { inserted } = await app.services.ledger.append(batch);
  process.stdout.write(inserted.map((e) => `ACK ${e.id}\n`).join(''));
  n += 1;
}
