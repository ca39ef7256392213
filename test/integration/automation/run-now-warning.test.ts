import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { ConsentSource } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { createTypes, workflowEvents } from './automation-helpers';

// Before a manual run, the desk shows how many statuses would change and warns when the rule
// would subscribe again people a CSV import had unsubscribed: the dry run counts them.
let app: TestApp;
let admin: Session;
beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
});
afterEach(async () => app.close());

async function unsubscribedBy(name: string, phone: string, typeId: string, source: ConsentSource) {
  const contact = await app.must(admin, 'contacts:create', { name, phoneInput: phone });
  await app.services.ledger.append([
    {
      contactId: contact.id, typeId, status: 'unsubscribed', source, legalBasis: '', explanation: `${source} opt-out`,
      actor: { kind: 'user', id: admin.userId ?? '', name: 'Admin' }, evidence: {}, occurredAt: new Date(Date.now() - 60_000).toISOString(),
    },
  ]);
  return contact;
}

it('counts the contacts whose CSV-import opt-out a run would turn into a subscription, and writes nothing', async () => {
  const { marketingId, transactionalId } = await createTypes(app, admin);
  await unsubscribedBy('Imported out 1', '+48 601 000 001', marketingId, 'csv_import');
  await unsubscribedBy('Imported out 2', '+48 601 000 002', marketingId, 'csv_import');
  await unsubscribedBy('Manual out', '+48 601 000 003', marketingId, 'manual');
  await unsubscribedBy('Imported out, other type', '+48 601 000 004', transactionalId, 'csv_import');
  await app.must(admin, 'contacts:create', { name: 'Never asked', phoneInput: '+48 601 000 005' });
  const rule = await app.must(admin, 'rules:save', {
    rule: {
      name: 'Everyone gets marketing',
      trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [{ kind: 'set_status', typeId: marketingId, status: 'subscribed', legalBasis: 'consent_with_notice', explanation: 'Fair list' }],
    },
  });
  const dry = await app.must(admin, 'rules:dryRun', { id: rule.id });
  expect(dry).toMatchObject({ candidates: 5, wouldChange: 5, resubscribesImportOptOuts: 2 });
  expect(await workflowEvents(app)).toEqual([]);

  // A rule that only unsubscribes never warns.
  const stop = await app.must(admin, 'rules:dryRun', {
    rule: {
      name: 'Stop marketing',
      trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [{ kind: 'set_status', typeId: marketingId, status: 'unsubscribed', legalBasis: '', explanation: 'Campaign over' }],
    },
  });
  expect(stop.resubscribesImportOptOuts).toBe(0);
});
