import { afterEach, describe, expect, it } from 'vitest';
import type { ConsentEvent, Contact } from '../../../src/shared/domain';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { textMessage, webhook } from '../../helpers/webhook';
import { createTypes, customerRule, saveEnabled, waitForRuns, workflowEvents, type RuleInput } from './automation-helpers';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose();
});

const close = async (app: TestApp) => {
  apps.splice(apps.indexOf(app), 1);
  await app.dispose();
};

const open = async () => {
  const app = await openTestApp();
  apps.push(app);
  return { app, admin: await app.signIn('admin') };
};

const tagRule = (name: string, whenTag: string, addTag: string): RuleInput => ({
  name,
  trigger: { kind: 'property_changed', target: 'tags', property: '', toValue: whenTag },
  conditions: { kind: 'group', op: 'and', children: [] },
  actions: [{ kind: 'add_tag', tag: addTag }],
});

describe('loop guard', () => {
  it('a rule is not re-fed its own effect', async () => {
    const { app, admin } = await open();
    // "Any tag added → add tag seen": its own change is a tag added, and must not fire it again.
    const rule = await saveEnabled(app, admin, tagRule('Mark tagged contacts', '', 'seen'));
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan' });
    await app.must(admin, 'contacts:update', { id: jan.id, tags: ['hello'] });
    await waitForRuns(app, admin, rule.id, 1);
    expect((await app.must(admin, 'contacts:get', { id: jan.id })).tags).toEqual(['hello', 'seen']);
    // A later edit is handled after the echo of the first: had the echo fed the rule, there would be three runs.
    await app.must(admin, 'contacts:update', { id: jan.id, tags: ['hello', 'seen', 'later'] });
    const runs = await waitForRuns(app, admin, rule.id, 2);
    expect(runs.map((r) => [r.changed, r.skipped, r.chainDepth])).toEqual([[0, 1, 1], [1, 0, 1]]);
  });

  it('a chain of rules stops at depth 3 with a clear log entry', async () => {
    const { app, admin } = await open();
    const a = await saveEnabled(app, admin, tagRule('A', 'a', 'b'));
    const b = await saveEnabled(app, admin, tagRule('B', 'b', 'c'));
    const c = await saveEnabled(app, admin, tagRule('C', 'c', 'd'));
    const d = await saveEnabled(app, admin, tagRule('D', 'd', 'e'));
    // A loop back to the start must not run A again either.
    const back = await saveEnabled(app, admin, tagRule('Back to A', 'd', 'a'));
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan' });
    await app.must(admin, 'contacts:update', { id: jan.id, tags: ['a'] });

    const [stopped] = await waitForRuns(app, admin, d.id, 1);
    expect(stopped).toMatchObject({ note: 'depth_limit', chainDepth: 4, considered: 1, changed: 0 });
    const [stoppedBack] = await waitForRuns(app, admin, back.id, 1);
    expect(stoppedBack).toMatchObject({ note: 'depth_limit' });
    expect((await app.must(admin, 'contacts:get', { id: jan.id })).tags).toEqual(['a', 'b', 'c', 'd']);
    for (const [rule, depth] of [[a, 1], [b, 2], [c, 3]] as const) {
      const runs = await app.must(admin, 'rules:runs', { ruleId: rule.id });
      expect(runs.map((r) => [r.chainDepth, r.changed, r.note])).toEqual([[depth, 1, '']]);
    }
  });
});

describe('determinism across devices', () => {
  // Two devices, each a real app on its own folder. RxDB allows one open database of a
  // name per process, so they run one after the other: device two starts from the
  // replicated documents (types, rule) device one made, as sync leaves them, handles the
  // same trigger, then receives device one's ledger.
  type Docs = { types: unknown[]; rules: unknown[]; contacts: unknown[]; events: ConsentEvent[] };
  const docsOf = async (app: TestApp): Promise<Docs> => {
    const db = app.services.db;
    const json = async (c: { find(): { exec(): Promise<Array<{ toMutableJSON(): unknown }>> } }) => (await c.find().exec()).map((d) => d.toMutableJSON());
    return { types: await json(db.subscription_types), rules: await json(db.rules), contacts: await json(db.contacts), events: await workflowEvents(app) };
  };
  const receive = async (app: TestApp, docs: Omit<Docs, 'events' | 'contacts'>) => {
    await app.services.db.subscription_types.bulkInsert(docs.types as never[]);
    await app.services.db.rules.bulkInsert(docs.rules as never[]);
  };
  // Replicating the other device's ledger: an id that exists already is refused (409).
  const receiveEvents = async (app: TestApp, events: ConsentEvent[]) => {
    const result = await app.services.db.consent_events.bulkInsert(events);
    await app.services.ledger.settled();
    return result.error.map((e) => [e.documentId, e.status]);
  };

  it('the same property edit handled on two devices yields one consent event', async () => {
    const contact: Contact = {
      id: 'contact-1', name: 'Jan', email: '', phoneInput: '+48601234567', waNumber: '+48601234567', phoneValid: true,
      properties: { lifecycle_stage: 'lead' }, tags: [], createdAt: '2026-01-01T10:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', lastInboundAt: '',
    };
    const edit = async (app: TestApp) => {
      await app.services.db.contacts.insert(contact);
      // The edit made on device one; on device two the same document arrives by sync.
      await (await app.services.db.contacts.findOne(contact.id).exec())?.incrementalPatch({ properties: { lifecycle_stage: 'customer' }, updatedAt: '2026-01-02T09:30:00.000Z' });
    };

    const one = await open();
    const { transactionalId } = await createTypes(one.app, one.admin);
    const rule = await saveEnabled(one.app, one.admin, customerRule(transactionalId));
    await edit(one.app);
    await waitForRuns(one.app, one.admin, rule.id, 1);
    const fromOne = await docsOf(one.app);
    await close(one.app);

    const two = await open();
    await receive(two.app, fromOne);
    await edit(two.app);
    await waitForRuns(two.app, two.admin, rule.id, 1);
    const [eventTwo] = await workflowEvents(two.app);
    const [eventOne] = fromOne.events;
    expect(fromOne.events).toHaveLength(1);
    expect(eventOne?.id).toBe(eventTwo?.id);
    expect(eventOne?.deviceId).not.toBe(eventTwo?.deviceId);

    expect(await receiveEvents(two.app, fromOne.events)).toEqual([[eventOne?.id, 409]]);
    expect((await workflowEvents(two.app)).map((e) => e.id)).toEqual([eventOne?.id]);
    expect((await two.app.services.ledger.state(contact.id, transactionalId))?.status).toBe('subscribed');
  });

  it('the same inbound message ingested on two devices yields one consent event', async () => {
    const payload = webhook([textMessage('wamid.same', 'Hi there')]);
    const inboundRule = (typeId: string): RuleInput => ({
      name: 'Anyone who writes',
      trigger: { kind: 'inbound_message', keyword: '' },
      conditions: { kind: 'group', op: 'and', children: [] },
      actions: [{ kind: 'set_status', typeId, status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Wrote to us' }],
    });

    const one = await open();
    const { transactionalId } = await createTypes(one.app, one.admin);
    const rule = await saveEnabled(one.app, one.admin, inboundRule(transactionalId));
    const jan = await one.app.must(one.admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    await one.app.must(one.admin, 'messages:ingest', { payload });
    await waitForRuns(one.app, one.admin, rule.id, 1);
    const fromOne = await docsOf(one.app);
    await close(one.app);

    const two = await open();
    await receive(two.app, fromOne);
    await two.app.services.db.contacts.bulkInsert(fromOne.contacts as never[]);
    await two.app.must(two.admin, 'messages:ingest', { payload });
    await waitForRuns(two.app, two.admin, rule.id, 1);
    const expected = `rule:${rule.id}:1:msg:wamid.same:${jan.id}:${transactionalId}`;
    expect(fromOne.events.map((e) => e.id)).toEqual([expected]);
    expect((await workflowEvents(two.app)).map((e) => e.id)).toEqual([expected]);
    expect(await receiveEvents(two.app, fromOne.events)).toEqual([[expected, 409]]);
    expect((await workflowEvents(two.app)).map((e) => e.id)).toEqual([expected]);
  });
});
