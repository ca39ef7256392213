import type { RuleRun, RunItem, RunNote, PlannedChangeView } from '../../shared/api/automation-channels';
import { RUN_ITEM_LIMIT } from '../../shared/api/automation-channels';
import { conditionHolds, planActions, type ContactSnapshot, type PlannedChange } from '../../shared/automation/rule-evaluator';
import type { Rule, SkipReason, TriggerKind } from '../../shared/automation/rule-model';
import type { Actor } from '../../shared/domain';
import { AppError } from '../app-error';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { EventHub } from '../events/event-hub';
import type { ConsentChange, ConsentLedger } from '../ledger/ledger-service';
import type { Logger } from '../logger';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { actionTypeIds, effectiveConditions, factsFor, loadRows, snapshotOf } from './rule-facts';
import { ruleEventId } from './trigger-ids';

// Runs one rule over a set of contacts and records what happened in the run log. A
// contact that fails is logged and the run goes on; writes go in batches through the
// ledger (consent) and the contact service (tags).

export type RunTarget = { contactId: string; triggerId: string; snapshot?: ContactSnapshot };

export type RunRequest = {
  rule: Rule;
  runId: string;
  trigger: TriggerKind;
  triggerRef: string;
  targets: readonly RunTarget[];
  // How many rules led here (1 for a rule fired by a person's or device's change).
  depth: number;
  startedBy: string;
  // Candidates were picked by the rule's own filter, so the trigger value is a condition.
  useEffectiveConditions?: boolean;
};

export type RuleRunner = {
  run(request: RunRequest, onTagWrite: (contactId: string, updatedAt: string) => void): Promise<RuleRun>;
  // A run that did nothing, for the log (a chain stopped at the depth limit).
  record(request: RunRequest, note: RunNote): Promise<RuleRun>;
};

const CHUNK = 2000;
const TAG_CONCURRENCY = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const viewOf = (c: PlannedChange): PlannedChangeView =>
  c.kind === 'tag' ? { kind: 'tag', tag: c.tag } : { kind: 'status', typeId: c.typeId, from: c.from, to: c.to };

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500);

export type RuleRunnerDeps = {
  db: AppDatabase;
  ledger: ConsentLedger;
  contacts: ContactService;
  directory: ContactDirectory;
  types: TypeService;
  events: EventHub;
  now: () => Date;
  deviceId: string;
  log: Logger;
};

export function createRuleRunner(deps: RuleRunnerDeps): RuleRunner {
  const { db, ledger, contacts, directory, types, events, now, deviceId, log } = deps;

  const emptyRun = (req: RunRequest, note: RunNote): RuleRun => ({
    id: req.runId,
    ruleId: req.rule.id,
    ruleVersion: req.rule.version,
    ruleName: req.rule.name,
    trigger: req.trigger,
    triggerRef: req.triggerRef,
    startedAt: now().toISOString(),
    finishedAt: '',
    considered: req.targets.length,
    matched: 0,
    changed: 0,
    skipped: 0,
    failed: 0,
    skipReasons: {},
    items: [],
    note,
    chainDepth: req.depth,
    deviceId,
    startedBy: req.startedBy,
  });

  const save = async (run: RuleRun) => {
    run.finishedAt = now().toISOString();
    await db.rule_runs.upsert(run);
    events.emit({ type: 'progress', jobId: run.id, kind: 'rule_run', done: run.considered, total: run.considered, state: 'finished' });
    return run;
  };

  const run: RuleRunner['run'] = async (req, onTagWrite) => {
    const { rule } = req;
    const result = emptyRun(req, '');
    const actor: Actor = { kind: 'workflow', id: rule.id, name: rule.name };
    const usable = new Set((await types.list(true)).filter((t) => !t.archived).map((t) => t.id));
    const conditions = req.useEffectiveConditions ? effectiveConditions(rule) : rule.conditions;
    const planTypes = actionTypeIds(rule);
    const item = (i: RunItem) => {
      if (result.items.length < RUN_ITEM_LIMIT) result.items.push(i);
    };
    const fail = (target: RunTarget, name: string, e: unknown) => {
      result.failed += 1;
      log.warn(`automation: rule ${rule.id} failed on contact ${target.contactId}`, e);
      item({ contactId: target.contactId, contactName: name, outcome: 'failed', changes: [], reasons: [], error: messageOf(e) });
    };
    const skip = (reasons: SkipReason[]) => {
      result.skipped += 1;
      for (const r of reasons) result.skipReasons[r] = (result.skipReasons[r] ?? 0) + 1;
    };

    for (let offset = 0; offset < req.targets.length; offset += CHUNK) {
      const matched: Array<{ target: RunTarget; contact: ContactSnapshot }> = [];
      for (const target of req.targets.slice(offset, offset + CHUNK)) {
        try {
          const row = target.snapshot ?? directory.get(target.contactId);
          if (!row) throw new AppError('not_found', 'The contact no longer exists.');
          const contact = snapshotOf(row);
          if (!conditionHolds(conditions, factsFor(contact, directory, usable))) continue;
          result.matched += 1;
          matched.push({ target, contact });
        } catch (e) {
          fail(target, target.snapshot?.name ?? '', e);
        }
      }
      if (matched.length === 0) continue;
      const rows = await loadRows(db, matched.map((m) => m.contact.id), planTypes);

      type Work = { target: RunTarget; contact: ContactSnapshot; changes: PlannedChange[]; reasons: SkipReason[]; consent: ConsentChange[] };
      const work: Work[] = [];
      for (const { target, contact } of matched) {
        try {
          const plan = planActions(rule.actions, factsFor(contact, directory, usable, rows));
          const consent: ConsentChange[] = [];
          for (const c of plan.changes) {
            if (c.kind !== 'status') continue;
            const action = c.action;
            consent.push({
              id: ruleEventId(rule.id, rule.version, target.triggerId, contact.id, c.typeId),
              contactId: contact.id,
              typeId: c.typeId,
              status: c.to,
              source: 'workflow',
              legalBasis: action.kind === 'set_status' ? action.legalBasis : '',
              explanation: action.kind === 'add_tag' ? '' : action.explanation,
              actor,
              evidence: { ruleId: rule.id, ruleVersion: rule.version, trigger: req.trigger, triggerId: target.triggerId, runId: req.runId },
              basedOn: c.basedOn,
            });
          }
          work.push({ target, contact, changes: plan.changes, reasons: plan.skips.map((s) => s.reason), consent });
        } catch (e) {
          fail(target, contact.name, e);
        }
      }

      // One batch to the ledger; if it is refused, contact by contact, so one bad contact
      // cannot stop the others.
      const duplicates = new Set<string>();
      const failedIds = new Map<string, unknown>();
      const allConsent = work.flatMap((w) => w.consent);
      if (allConsent.length) {
        try {
          for (const id of (await ledger.append(allConsent)).duplicates) duplicates.add(id);
        } catch (batchError) {
          log.warn(`automation: batch of ${allConsent.length} changes refused; retrying one contact at a time`, batchError);
          for (const w of work.filter((x) => x.consent.length)) {
            try {
              for (const id of (await ledger.append(w.consent)).duplicates) duplicates.add(id);
            } catch (e) {
              failedIds.set(w.contact.id, e);
            }
          }
        }
      }

      // Tags go through the contact service, a few contacts at a time.
      const tagOutcome = new Map<Work, { ok: true } | { ok: false; error: unknown }>();
      const tagWork = work.filter((w) => !failedIds.has(w.contact.id) && w.changes.some((c) => c.kind === 'tag'));
      for (let i = 0; i < tagWork.length; i += TAG_CONCURRENCY) {
        await Promise.all(
          tagWork.slice(i, i + TAG_CONCURRENCY).map(async (w) => {
            try {
              const current = directory.get(w.contact.id);
              if (!current) throw new AppError('not_found', 'The contact no longer exists.');
              const added = w.changes.flatMap((c) => (c.kind === 'tag' ? [c.tag] : []));
              const saved = await contacts.update({ id: w.contact.id, tags: [...current.tags, ...added] });
              onTagWrite(saved.id, saved.updatedAt);
              tagOutcome.set(w, { ok: true });
            } catch (error) {
              tagOutcome.set(w, { ok: false, error });
            }
          }),
        );
      }

      for (const w of work) {
        const failure = failedIds.get(w.contact.id);
        if (failure !== undefined) {
          fail(w.target, w.contact.name, failure);
          continue;
        }
        const done: PlannedChange[] = [];
        const reasons = [...w.reasons];
        for (const c of w.changes) {
          if (c.kind === 'status') {
            const id = w.consent.find((x) => x.typeId === c.typeId)?.id ?? '';
            if (duplicates.has(id)) reasons.push('already_recorded');
            else done.push(c);
          }
        }
        const tagged = tagOutcome.get(w);
        if (tagged && !tagged.ok) {
          fail(w.target, w.contact.name, tagged.error);
          continue;
        }
        if (tagged) done.push(...w.changes.filter((c) => c.kind === 'tag'));
        if (done.length) {
          result.changed += 1;
          item({ contactId: w.contact.id, contactName: w.contact.name, outcome: 'changed', changes: done.map(viewOf), reasons, error: '' });
        } else {
          skip(reasons);
          item({ contactId: w.contact.id, contactName: w.contact.name, outcome: 'skipped', changes: [], reasons, error: '' });
        }
      }
      if (offset + CHUNK < req.targets.length) {
        events.emit({ type: 'progress', jobId: req.runId, kind: 'rule_run', done: offset + CHUNK, total: req.targets.length, state: 'running' });
        await yieldToEventLoop();
      }
    }
    return save(result);
  };

  return {
    run,
    record: (req, note) => save(emptyRun(req, note)),
  };
}
