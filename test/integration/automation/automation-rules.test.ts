import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { ALL_WHATSAPP_TYPE_ID } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';
import { createTypes, customerRule, saveEnabled, waitForRuns, workflowEvents, type RuleInput } from './automation-helpers';

let app: TestApp;
let admin: Session;
let ids: { marketingId: string; transactionalId: string };

beforeEach(async () => {
  app = await openTestApp();
  admin = await app.signIn('admin');
  ids = await createTypes(app, admin);
});
afterEach(async () => {
  await app.dispose();
});

const contact = (name: string, phoneInput = '+48 601 234 567', properties: Record<string, string> = {}) =>
  app.must(admin, 'contacts:create', { name, phoneInput, properties });

describe('a property change fires a rule (the issue\'s example)', () => {
  it('subscribes a new customer with the rule as actor, source workflow and the rule in the evidence', async () => {
    const rule = await saveEnabled(app, admin, customerRule(ids.transactionalId));
    const jan = await contact('Jan', '+48 601 234 567', { lifecycle_stage: 'lead' });
    const bad = await contact('Bad number', '123', { lifecycle_stage: 'lead' });
    await app.must(admin, 'contacts:update', { id: jan.id, properties: { lifecycle_stage: 'Customer' } });
    await app.must(admin, 'contacts:update', { id: bad.id, properties: { lifecycle_stage: 'customer' } });
    await waitForRuns(app, admin, rule.id, 2);

    const events = await workflowEvents(app);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      contactId: jan.id,
      typeId: ids.transactionalId,
      status: 'subscribed',
      source: 'workflow',
      legalBasis: 'performance_of_contract',
      explanation: 'Became a customer',
      actor: { kind: 'workflow', id: rule.id, name: 'Customers get order updates' },
      evidence: { ruleId: rule.id, ruleVersion: 1, trigger: 'property_changed' },
    });
    expect(event?.id).toMatch(new RegExp(`^rule:${rule.id}:1:chg:[0-9a-f]+:${jan.id}:${ids.transactionalId}$`));
    const history = await app.must(admin, 'consent:history', { contactId: jan.id });
    expect(history.rows.map((r) => [r.actor.name, r.typeName, r.status])).toEqual([['Customers get order updates', 'WhatsApp orders', 'subscribed']]);

    // The contact with an invalid number matched the trigger but not the conditions: nothing recorded.
    const runs = await app.must(admin, 'rules:runs', { ruleId: rule.id });
    expect(runs.map((r) => [r.considered, r.matched, r.changed])).toEqual(expect.arrayContaining([[1, 1, 1], [1, 0, 0]]));
  });

  it('a disabled rule does nothing; other property edits do not fire it', async () => {
    const saved = await app.must(admin, 'rules:save', { rule: customerRule(ids.transactionalId) });
    expect(saved.enabled).toBe(false);
    const jan = await contact('Jan', '+48 601 234 567', { lifecycle_stage: 'lead' });
    await app.must(admin, 'contacts:update', { id: jan.id, properties: { lifecycle_stage: 'customer' } });
    const enabled = await app.must(admin, 'rules:setEnabled', { id: saved.id, enabled: true });
    expect(enabled.version).toBe(1);
    await app.must(admin, 'contacts:update', { id: jan.id, properties: { lifecycle_stage: 'customer', city: 'Gdańsk' } });
    const probe = await saveEnabled(app, admin, { ...customerRule(ids.marketingId, 'probe'), trigger: { kind: 'property_changed', target: 'property', property: 'city', toValue: '' } });
    await app.must(admin, 'contacts:update', { id: jan.id, properties: { lifecycle_stage: 'customer', city: 'Sopot' } });
    await waitForRuns(app, admin, probe.id, 1);
    expect(await app.must(admin, 'rules:runs', { ruleId: saved.id })).toEqual([]);
    expect((await workflowEvents(app)).map((e) => e.typeId)).toEqual([ids.marketingId]);
  });
});

describe('safety', () => {
  it('never resubscribes a contact who opted out by their own message', async () => {
    const rule = await saveEnabled(app, admin, customerRule(ids.transactionalId));
    const jan = await contact('Jan', '+48 601 234 567', { lifecycle_stage: 'lead' });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.stop1', 'STOP')]) });
    expect((await app.services.ledger.state(jan.id, ids.transactionalId))?.ownOptOut).toBe(true);

    await app.must(admin, 'contacts:update', { id: jan.id, properties: { lifecycle_stage: 'customer' } });
    const [run] = await waitForRuns(app, admin, rule.id, 1);
    expect(run).toMatchObject({ matched: 1, changed: 0, skipped: 1, skipReasons: { own_opt_out: 1 } });
    expect(run?.items).toEqual([expect.objectContaining({ contactId: jan.id, outcome: 'skipped', reasons: ['own_opt_out'] })]);
    expect(await workflowEvents(app)).toEqual([]);
    expect((await app.services.ledger.state(jan.id, ids.transactionalId))?.status).toBe('unsubscribed');
  });

  it('a contact that fails is logged and the run goes on', async () => {
    const rule = await saveEnabled(app, admin, {
      name: 'Imported customers',
      trigger: { kind: 'import_finished' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [{ kind: 'set_status', typeId: ids.transactionalId, status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Imported order list' }],
    });
    const a = await contact('A', '+48 601 000 001');
    const b = await contact('B', '+48 601 000 002');
    const gone = await contact('Gone', '+48 601 000 003');
    await (await app.services.db.contacts.findOne(gone.id).exec())?.remove();

    const [run] = await app.services.automation.onImportFinished('imp-1', [a.id, gone.id, b.id]);
    expect(run).toMatchObject({ considered: 3, matched: 2, changed: 2, failed: 1, trigger: 'import_finished', triggerRef: 'import:imp-1' });
    expect(run?.items.find((i) => i.outcome === 'failed')).toMatchObject({ contactId: gone.id, error: 'The contact no longer exists.' });
    expect((await workflowEvents(app)).map((e) => e.id).sort()).toEqual(
      [a.id, b.id].map((c) => `rule:${rule.id}:1:import:imp-1:${c}:${ids.transactionalId}`).sort(),
    );
    // The same import reported twice records nothing twice.
    const [again] = await app.services.automation.onImportFinished('imp-1', [a.id, b.id]);
    expect(again).toMatchObject({ changed: 0, skipped: 2, skipReasons: { already_in_state: 2 } });
  });
});

describe('inbound messages', () => {
  it('fires on a keyword inside a message, once per message id', async () => {
    const rule = await saveEnabled(app, admin, {
      name: 'Order questions',
      trigger: { kind: 'inbound_message', keyword: 'order' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [
        { kind: 'set_status', typeId: ids.transactionalId, status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Asked about an order' },
        { kind: 'add_tag', tag: 'asked-about-order' },
      ],
    });
    const payload = webhook([textMessage('wamid.q1', 'Where is my order?'), textMessage('wamid.q2', 'hello', 1_767_000_100)]);
    await app.must(admin, 'messages:ingest', { payload });
    await app.must(admin, 'messages:ingest', { payload });
    const [run] = await waitForRuns(app, admin, rule.id, 1);
    expect(run).toMatchObject({ trigger: 'inbound_message', triggerRef: 'msg:wamid.q1', changed: 1 });
    const events = await workflowEvents(app);
    expect(events.map((e) => e.id)).toEqual([`rule:${rule.id}:1:msg:wamid.q1:${run?.items[0]?.contactId}:${ids.transactionalId}`]);
    const jan = app.services.directory.findByWaNumber('+48601234567');
    expect(jan?.tags).toEqual(['asked-about-order']);
  });
});

describe('run now, dry run and versions', () => {
  const vipRule = (typeId: string): RuleInput => ({
    name: 'VIPs get marketing',
    trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
    conditions: {
      kind: 'group',
      op: 'or',
      children: [
        { kind: 'property', target: 'tags', property: '', op: 'equals', value: 'vip' },
        { kind: 'group', op: 'and', children: [{ kind: 'property', target: 'property', property: 'orders', op: 'gt', value: '10' }, { kind: 'phone_valid', valid: true }] },
      ],
    },
    actions: [{ kind: 'set_status', typeId, status: 'subscribed', legalBasis: 'legitimate_interest_client', explanation: 'Good customer' }],
  });

  it('a dry run lists who would change and why, and changes nothing; run now applies it once per run id', async () => {
    const vip = await app.must(admin, 'contacts:create', { name: 'Vip', phoneInput: '+48 601 000 001', tags: ['VIP'] });
    const big = await contact('Big buyer', '+48 601 000 002', { orders: '25' });
    await contact('Small buyer', '+48 601 000 003', { orders: '2' });
    const noNumber = await app.must(admin, 'contacts:create', { name: 'No number', tags: ['vip'] });
    const rule = await app.must(admin, 'rules:save', { rule: vipRule(ids.marketingId) });

    const dry = await app.must(admin, 'rules:dryRun', { id: rule.id });
    expect(dry).toMatchObject({ candidates: 4, matched: 3, wouldChange: 2, skipped: 1, skipReasons: { invalid_phone: 1 }, truncated: false });
    expect(dry.items.map((i) => [i.contactName, i.changes.length, i.skips.map((s) => s.reason)])).toEqual([
      ['Big buyer', 1, []],
      ['Vip', 1, []],
      ['No number', 0, ['invalid_phone']],
    ]);
    expect(dry.items[0]?.facts).toEqual(expect.arrayContaining([{ target: 'property', property: 'orders', value: '25' }]));
    expect(await workflowEvents(app)).toEqual([]);

    const run = await app.must(admin, 'rules:runNow', { id: rule.id, runId: 'run-1' });
    expect(run).toMatchObject({ trigger: 'run_now', triggerRef: 'run:run-1', considered: 4, matched: 3, changed: 2, skipped: 1, startedBy: 'Admin' });
    expect((await workflowEvents(app)).map((e) => e.contactId).sort()).toEqual([vip.id, big.id].sort());
    expect((await app.must(admin, 'contacts:get', { id: noNumber.id })).statuses[ids.marketingId]).toBeUndefined();
    const again = await app.must(admin, 'rules:runNow', { id: rule.id, runId: 'run-1' });
    expect(again).toMatchObject({ changed: 0 });
    expect(await workflowEvents(app)).toHaveLength(2);
    const list = await app.must(admin, 'rules:list', {});
    expect(list.map((r) => [r.name, r.lastRun?.id])).toEqual([['VIPs get marketing', 'run-1']]);
  });

  it('a dry run of an unsaved draft, and of a property rule, uses the value the trigger waits for', async () => {
    await contact('Lead', '+48 601 000 001', { lifecycle_stage: 'lead' });
    await contact('Customer', '+48 601 000 002', { lifecycle_stage: 'customer' });
    const dry = await app.must(admin, 'rules:dryRun', { rule: customerRule(ids.transactionalId) });
    expect(dry.items.map((i) => i.contactName)).toEqual(['Customer']);
  });

  it('every save is a new version; events record the version that made them', async () => {
    const v1 = await app.must(admin, 'rules:save', { rule: vipRule(ids.marketingId) });
    const v2 = await app.must(admin, 'rules:save', { id: v1.id, baseVersion: 1, rule: { ...vipRule(ids.transactionalId), name: 'VIPs get order updates' } });
    expect([v1.version, v2.version, v2.id]).toEqual([1, 2, v1.id]);
    const unchanged = await app.must(admin, 'rules:save', { id: v1.id, baseVersion: 2, rule: { ...vipRule(ids.transactionalId), name: 'VIPs get order updates' } });
    expect(unchanged.version).toBe(2);
    const stale = await app.as(admin)('rules:save', { id: v1.id, baseVersion: 1, rule: vipRule(ids.marketingId) });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await app.must(admin, 'contacts:create', { name: 'Vip', phoneInput: '+48 601 000 001', tags: ['vip'] });
    await app.must(admin, 'rules:runNow', { id: v1.id });
    const [event] = await workflowEvents(app);
    expect(event).toMatchObject({ typeId: ids.transactionalId, evidence: { ruleVersion: 2 }, actor: { name: 'VIPs get order updates' } });
    const audit = await app.services.db.audit_log.find({ selector: { action: 'rules.change' } }).exec();
    expect(audit.map((a) => a.details.ruleVersion).sort()).toEqual([1, 2]);
  });
});

describe('the API refuses bad input and the wrong role, and changes nothing', () => {
  it('roles: only administrators change rules; everyone signed in reads and dry-runs', async () => {
    const agent = await app.signIn('field_agent');
    const officer = await app.signIn('compliance_officer');
    const rule = await app.must(admin, 'rules:save', { rule: customerRule(ids.transactionalId) });
    for (const session of [agent, officer]) {
      const as = app.as(session);
      expect(await as('rules:save', { rule: customerRule(ids.transactionalId) })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await as('rules:setEnabled', { id: rule.id, enabled: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await as('rules:runNow', { id: rule.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await as('rules:list', {})).toMatchObject({ ok: true });
      expect(await as('rules:dryRun', { id: rule.id })).toMatchObject({ ok: true });
    }
    expect(await app.as({ userId: null })('rules:list', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect((await app.must(admin, 'rules:get', { id: rule.id })).enabled).toBe(false);
  });

  it('bad definitions, unknown types and unknown rules', async () => {
    const as = app.as(admin);
    const noBasis = { ...customerRule(ids.transactionalId), actions: [{ kind: 'set_status' as const, typeId: ids.transactionalId, status: 'subscribed' as const, explanation: 'x' }] };
    expect(await as('rules:save', { rule: noBasis })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await as('rules:save', { rule: customerRule('no-such-type') })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const statusOnMissing = { ...customerRule(ids.transactionalId), conditions: { kind: 'group' as const, op: 'and' as const, children: [{ kind: 'status' as const, typeId: 'nope', status: 'subscribed' as const }] } };
    expect(await as('rules:save', { rule: statusOnMissing })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const flag = { ...customerRule(ids.transactionalId), conditions: { kind: 'group' as const, op: 'and' as const, children: [{ kind: 'status' as const, typeId: ALL_WHATSAPP_TYPE_ID, status: 'unsubscribed' as const, is: false }] } };
    expect(await as('rules:save', { rule: flag })).toMatchObject({ ok: true });
    expect(await as('rules:get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await as('rules:runNow', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await as('rules:runNow', { id: 'x', runId: 'has spaces' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await as('rules:dryRun', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await app.must(admin, 'rules:list', {})).toHaveLength(1);
  });
});
