import type { Subscription } from 'rxjs';
import { ulid } from 'ulid';
import type { DryRunReport, RuleListItem, RuleRun } from '../../shared/api/automation-channels';
import { triggerFires, type TriggerEvent } from '../../shared/automation/rule-evaluator';
import type { Rule, RuleDefinition } from '../../shared/automation/rule-model';
import type { Contact, User } from '../../shared/domain';
import type { AuditLog } from '../audit/audit-log';
import { createSerialQueue } from '../ledger/serial-queue';
import { onDocChanges } from '../store/doc-changes';
import { createChainGuard, MAX_CHAIN_DEPTH, type ChainOrigin } from './chain-guard';
import { candidateIds, dryRunRule } from './rule-dry-run';
import { snapshotOf } from './rule-facts';
import { createRuleRunner, type RuleRunnerDeps, type RunRequest, type RunTarget } from './rule-runner';
import { createRuleStore, ruleFromDoc } from './rule-store';
import { subscriptionsEnding } from '../lifecycle/repermission';
import { createdTriggerId, expiryTriggerId, importTriggerId, messageTriggerId, propertyTriggerId, runTriggerId } from './trigger-ids';

// Rule-based automation (SPEC 7), entirely on the device. Triggers come from the store's
// change streams (so local edits and edits that arrive by sync alike), from the import
// service (`onImportFinished`) and from "run now". All rule work runs one task at a time,
// which is also what lets the loop guard see its own marks before the echoes arrive.

export type AutomationService = {
  list(): Promise<RuleListItem[]>;
  get(id: string): Promise<Rule>;
  save(input: { id: string; baseVersion: number; rule: RuleDefinition }, user: User): Promise<Rule>;
  setEnabled(id: string, enabled: boolean, user: User): Promise<Rule>;
  dryRun(input: { id: string; rule?: RuleDefinition; limit: number }): Promise<DryRunReport>;
  runNow(id: string, runId: string, user: User): Promise<RuleRun>;
  runs(ruleId: string, limit: number): Promise<RuleRun[]>;
  // Fires "consent expiring" rules for subscriptions whose term ends within their days; run
  // periodically (lifecycle.ts) and on demand. Each contact and term fires a rule once.
  checkExpiring(): Promise<RuleRun[]>;
  // Called by the import service when an import has written its contacts.
  onImportFinished(importId: string, contactIds: readonly string[]): Promise<RuleRun[]>;
  // Resolves when every trigger seen so far has been handled.
  idle(): Promise<void>;
  close(): Promise<void>;
};

type StoredContact = Contact & Record<string, unknown>;
type Pending =
  | { kind: 'contact'; after: StoredContact; before: StoredContact | null }
  | { kind: 'message'; id: string; contactId: string; body: string };

type Group = { rule: Rule; origin: ChainOrigin | null; trigger: RunRequest['trigger']; targets: RunTarget[]; triggerRef?: string };

export function createAutomationService(deps: RuleRunnerDeps & { audit: AuditLog }): AutomationService {
  const { db, contacts, directory, types, log, now } = deps;
  const store = createRuleStore(deps);
  const runner = createRuleRunner(deps);
  const guard = createChainGuard();
  const serial = createSerialQueue();
  const pending: Pending[] = [];
  let draining = false;

  const enabledRules = async () =>
    (await db.rules.find({ selector: { enabled: true } }).exec())
      .map(ruleFromDoc)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

  const runGroup = async (g: Group) => {
    const depth = (g.origin?.depth ?? 0) + 1;
    const chain = [...(g.origin?.chain ?? []), g.rule.id];
    const request: RunRequest = {
      rule: g.rule,
      runId: ulid(),
      trigger: g.trigger,
      triggerRef: g.triggerRef ?? (g.targets.length === 1 ? (g.targets[0]?.triggerId ?? '') : `${g.targets.length}`),
      targets: g.targets,
      depth,
      startedBy: '',
    };
    if (depth > MAX_CHAIN_DEPTH) return runner.record(request, 'depth_limit');
    return runner.run(request, (contactId, updatedAt) => guard.mark(contactId, updatedAt, { chain, depth }));
  };

  const handleBatch = async (batch: Pending[]) => {
    // Rules read statuses from the directory, which may still be loading them at start-up.
    await directory.ready;
    const rules = await enabledRules();
    if (rules.length === 0) return;
    const groups = new Map<string, Group>();
    const add = (rule: Rule, origin: ChainOrigin | null, trigger: RunRequest['trigger'], target: RunTarget) => {
      const key = `${rule.id}|${trigger}|${origin?.chain.join(',') ?? ''}`;
      const g = groups.get(key) ?? { rule, origin, trigger, targets: [] };
      g.targets.push(target);
      groups.set(key, g);
    };
    for (const p of batch) {
      if (p.kind === 'message') {
        const event: TriggerEvent = { kind: 'inbound_message', body: p.body };
        for (const rule of rules) {
          if (triggerFires(rule.trigger, event)) add(rule, null, 'inbound_message', { contactId: p.contactId, triggerId: messageTriggerId(p.id) });
        }
        continue;
      }
      const origin = guard.take(p.after.id, p.after.updatedAt);
      const after = snapshotOf(p.after);
      const event: TriggerEvent = p.before ? { kind: 'property_changed', before: snapshotOf(p.before), after } : { kind: 'contact_created' };
      for (const rule of rules) {
        // A rule is never fed its own effects, nor those of a chain it started.
        if (origin?.chain.includes(rule.id)) continue;
        if (!triggerFires(rule.trigger, event)) continue;
        const triggerId = rule.trigger.kind === 'property_changed' ? propertyTriggerId(rule.trigger, { ...after, updatedAt: p.after.updatedAt }) : createdTriggerId();
        add(rule, origin, event.kind, { contactId: after.id, triggerId, snapshot: after });
      }
    }
    for (const g of groups.values()) await runGroup(g);
  };

  const schedule = () => {
    if (draining) return;
    draining = true;
    void serial(async () => {
      while (pending.length > 0) await handleBatch(pending.splice(0, pending.length));
      draining = false;
    }).catch((e: unknown) => {
      draining = false;
      log.error('automation: handling triggers failed', e);
    });
  };

  const subs: Subscription[] = [
    onDocChanges(db.contacts, (ev) => {
      if (ev.operation === 'DELETE') return;
      // Held as delivered (snapshots pick their fields later): an import writes 100,000
      // contacts, and copying each one here is wasted while no rule is enabled.
      pending.push({ kind: 'contact', after: ev.documentData as StoredContact, before: (ev.previousDocumentData ?? null) as StoredContact | null });
      schedule();
    }),
    onDocChanges(db.inbound_messages, (ev) => {
      if (ev.operation !== 'INSERT') return;
      const d = ev.documentData;
      pending.push({ kind: 'message', id: d.id, contactId: d.contactId, body: d.body });
      schedule();
    }),
  ];

  // Terms already handled this session, so the periodic check does not log empty re-runs;
  // across restarts the rule's deterministic event ids keep it to one change per term.
  const firedTerms = new Set<string>();

  const lastRun = async (ruleId: string) => {
    const doc = await db.rule_runs.findOne({ selector: { ruleId }, sort: [{ startedAt: 'desc' }] }).exec();
    return doc ? (doc.toMutableJSON() as RuleRun) : null;
  };

  return {
    async list() {
      const rules = await store.list();
      return Promise.all(rules.map(async (r) => ({ ...r, lastRun: await lastRun(r.id) })));
    },
    get: store.get,
    save: store.save,
    setEnabled: store.setEnabled,
    async dryRun(input) {
      const rule = input.rule ?? (await store.get(input.id));
      await directory.ready;
      return dryRunRule({ db, contacts, directory, types }, rule, input.limit);
    },
    runNow: (id, runId, user) =>
      serial(async () => {
        const rule = await store.get(id);
        const run = runId || ulid();
        const ids = await candidateIds(rule, contacts);
        const triggerId = runTriggerId(run);
        const chain = [rule.id];
        return runner.run(
          {
            rule,
            runId: run,
            trigger: 'run_now',
            triggerRef: triggerId,
            targets: ids.map((contactId) => ({ contactId, triggerId })),
            depth: 1,
            startedBy: user.name,
            useEffectiveConditions: true,
          },
          (contactId, updatedAt) => guard.mark(contactId, updatedAt, { chain, depth: 1 }),
        );
      }),
    async runs(ruleId, limit) {
      const docs = await db.rule_runs.find({ selector: { ruleId }, sort: [{ startedAt: 'desc' }], limit }).exec();
      return docs.map((d) => d.toMutableJSON() as RuleRun);
    },
    checkExpiring: () =>
      serial(async () => {
        await directory.ready;
        const runs: RuleRun[] = [];
        const at = now();
        for (const rule of await enabledRules()) {
          if (rule.trigger.kind !== 'consent_expiring') continue;
          const type = await types.get(rule.trigger.typeId);
          if (!type || type.archived) continue;
          const targets = (await subscriptionsEnding(db, type, rule.trigger.withinDays, at))
            .map(({ state, expiry }) => ({ contactId: state.contactId, triggerId: expiryTriggerId(type.id, expiry.expiresAt) }))
            .filter((target) => !firedTerms.has(`${rule.id}:${rule.version}:${target.contactId}:${target.triggerId}`));
          if (targets.length === 0) continue;
          runs.push(await runGroup({ rule, origin: null, trigger: 'consent_expiring', triggerRef: `expiry:${type.id}`, targets }));
          for (const target of targets) firedTerms.add(`${rule.id}:${rule.version}:${target.contactId}:${target.triggerId}`);
        }
        return runs;
      }),
    onImportFinished: (importId, contactIds) =>
      serial(async () => {
        const runs: RuleRun[] = [];
        const triggerId = importTriggerId(importId);
        for (const rule of (await enabledRules()).filter((r) => r.trigger.kind === 'import_finished')) {
          runs.push(await runGroup({ rule, origin: null, trigger: 'import_finished', triggerRef: triggerId, targets: contactIds.map((contactId) => ({ contactId, triggerId })) }));
        }
        return runs;
      }),
    async idle() {
      do await serial(async () => undefined);
      while (pending.length > 0 || draining);
    },
    async close() {
      subs.forEach((s) => s.unsubscribe());
      await serial(async () => undefined);
    },
  };
}
