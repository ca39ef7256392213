// Run: npx tsx bench/automation/rules.bench.ts [--contacts=100000]
// 20 enabled rules, each "run now" over every contact of a 100,000-contact store (real
// app, SQLite storage, temp folder): evaluation only (the pure evaluator; and the dry
// run, which also reads the ledger states of matched contacts) and end to end with the
// consent events and tags written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../src/main/app';
import type { Session } from '../../src/main/api/handler-types';
import type { ChannelInput, ChannelName, ChannelResult } from '../../src/shared/api';
import { conditionHolds, type ContactFacts } from '../../src/shared/automation/rule-evaluator';
import type { RuleDefinition } from '../../src/shared/automation/rule-model';
import type { Contact } from '../../src/shared/domain';
import { BENCH_SECRET } from '../bench-secret';

const arg = process.argv.find((a) => a.startsWith('--contacts='));
const CONTACTS = arg ? Number(arg.split('=')[1]) : 100_000;
const RULES = 20;
const STAGES = ['lead', 'prospect', 'customer', 'partner', 'churned'];
const CITIES = ['Warszawa', 'Kraków', 'Gdańsk', 'Poznań', 'Wrocław', 'Łódź', 'Lublin', 'Szczecin'];

const dir = mkdtempSync(join(tmpdir(), 'consent-desk-bench-rules-'));
const quiet = { info: () => {}, warn: () => {}, error: (m: string, ...r: unknown[]) => console.error(m, ...r) };
const app = await openApp({ dataDir: dir, log: quiet });
const session: Session = { userId: null };
const must = async <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>> => {
  const r = await app.api.call(channel, input, session);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as ChannelResult<C>;
};
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

try {
  const benchId = (await must('users:create', { name: 'Bench', role: 'admin', secret: BENCH_SECRET })).id;
  await must('session:signIn', { userId: benchId, secret: BENCH_SECRET });
  const base = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1', businessName: 'Bench' };
  const marketing = await must('types:create', { ...base, name: 'Marketing', purpose: 'marketing' });
  const orders = await must('types:create', { ...base, name: 'Orders', purpose: 'transactional' });

  let start = process.hrtime.bigint();
  const at = new Date('2026-01-01T00:00:00Z').toISOString();
  for (let offset = 0; offset < CONTACTS; offset += 5000) {
    const chunk: Contact[] = [];
    for (let i = offset; i < Math.min(offset + 5000, CONTACTS); i++) {
      const valid = i % 10 !== 0;
      const number = `+48601${String(i).padStart(6, '0')}`;
      chunk.push({
        id: `c${String(i).padStart(7, '0')}`, name: `Contact ${i}`, email: `c${i}@example.pl`, phoneInput: valid ? number : '12', waNumber: valid ? number : '', phoneValid: valid,
        properties: { lifecycle_stage: STAGES[i % STAGES.length] ?? '', orders: String(i % 97), city: CITIES[i % CITIES.length] ?? '', since: `202${i % 6}-0${1 + (i % 9)}-15` },
        tags: i % 7 === 0 ? ['vip'] : [], createdAt: at, updatedAt: at, lastInboundAt: '',
      });
    }
    await app.services.db.contacts.bulkInsert(chunk);
  }
  await app.services.automation.idle();
  console.log(`seeded ${CONTACTS.toLocaleString('en-US')} contacts in ${seconds(start).toFixed(1)} s`);

  // 20 rules of the shapes admins write: a stage or city, a number or a date, a tag, nested OR.
  const rules: RuleDefinition[] = Array.from({ length: RULES }, (_, r) => ({
    name: `Rule ${r}`,
    trigger: { kind: 'run_now', search: '', typeId: '', status: '' },
    conditions: {
      kind: 'group', op: 'and', children: [
        { kind: 'property', target: 'property', property: 'lifecycle_stage', op: 'equals', value: STAGES[r % STAGES.length] ?? '' },
        { kind: 'phone_valid', valid: true },
        {
          kind: 'group', op: 'or', children: [
            { kind: 'property', target: 'property', property: 'orders', op: 'gt', value: String(60 + r) },
            { kind: 'property', target: 'property', property: 'since', op: 'before', value: `202${r % 6}-03-01` },
            { kind: 'property', target: 'tags', property: '', op: 'equals', value: 'vip' },
          ],
        },
        { kind: 'property', target: 'property', property: 'city', op: 'not_equals', value: CITIES[r % CITIES.length] ?? '' },
      ],
    },
    actions: r % 4 === 3
      ? [{ kind: 'add_tag', tag: `rule-${r}` }]
      : [{ kind: 'set_status', typeId: r % 2 ? orders.id : marketing.id, status: 'subscribed', legalBasis: 'legitimate_interest_client', explanation: `Rule ${r}` }],
  }));
  const saved = [];
  for (const rule of rules) {
    const s = await must('rules:save', { rule });
    saved.push(await must('rules:setEnabled', { id: s.id, enabled: true }));
  }

  // The pure evaluator over in-memory snapshots, the floor of what a run can do.
  const snapshots = (await app.services.db.contacts.find().exec()).map((d) => d.toMutableJSON() as Contact);
  const none = { status: 'not_specified' as const, ownOptOut: false, lastEventId: '' };
  start = process.hrtime.bigint();
  let matched = 0;
  for (const rule of rules) {
    for (const c of snapshots) {
      const facts: ContactFacts = { contact: c, state: () => none, typeUsable: () => true };
      if (conditionHolds(rule.conditions, facts)) matched += 1;
    }
  }
  let s = seconds(start);
  console.log(`pure evaluation: ${RULES} rules x ${CONTACTS.toLocaleString('en-US')} contacts   ${perSecond(RULES * CONTACTS, s).padStart(12)} contact-rules/s  (${matched.toLocaleString('en-US')} matches)`);

  start = process.hrtime.bigint();
  let wouldChange = 0;
  for (const rule of saved) wouldChange += (await must('rules:dryRun', { id: rule.id, limit: 1 })).wouldChange;
  s = seconds(start);
  console.log(`dry run (evaluation only):                  ${perSecond(RULES * CONTACTS, s).padStart(12)} contact-rules/s  ${s.toFixed(1)} s, ${wouldChange.toLocaleString('en-US')} would change`);

  start = process.hrtime.bigint();
  let changed = 0;
  let failed = 0;
  for (const rule of saved) {
    const run = await must('rules:runNow', { id: rule.id });
    changed += run.changed;
    failed += run.failed;
  }
  await app.services.automation.idle();
  await app.services.ledger.settled();
  s = seconds(start);
  const events = await app.services.db.consent_events.count({ selector: { source: 'workflow' } }).exec();
  console.log(`run now, end to end with writes:            ${perSecond(RULES * CONTACTS, s).padStart(12)} contact-rules/s  ${s.toFixed(1)} s, ${changed.toLocaleString('en-US')} contacts changed (${perSecond(changed, s)}/s), ${events.toLocaleString('en-US')} events, ${failed} failed`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
