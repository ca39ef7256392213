import type { DryRunItem, DryRunReport } from '../../shared/api/automation-channels';
import { conditionHolds, factsShown, planActions } from '../../shared/automation/rule-evaluator';
import type { Rule, RuleDefinition } from '../../shared/automation/rule-model';
import type { ContactDirectory } from '../contacts/contact-directory';
import type { ContactService } from '../contacts/contact-service';
import type { AppDatabase } from '../store/database';
import type { TypeService } from '../subscription-types/type-service';
import { stateId } from '../ledger/projection';
import { actionTypeIds, effectiveConditions, factsFor, loadRows, snapshotOf } from './rule-facts';
import { viewOf } from './rule-runner';

// What a rule would do now, writing nothing: the same evaluation a run makes.

const CHUNK = 2000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// The contacts a manual run or a dry run looks at: a run-now rule's filter, else everyone.
export async function candidateIds(rule: Pick<RuleDefinition, 'trigger'>, contacts: ContactService): Promise<string[]> {
  const t = rule.trigger;
  const filter = t.kind === 'run_now' ? { search: t.search, typeId: t.typeId, status: t.status } : { search: '', typeId: '', status: '' as const };
  return contacts.matchingIds({ ...filter, sort: 'name', direction: 'asc' });
}

export async function dryRunRule(
  deps: { db: AppDatabase; contacts: ContactService; directory: ContactDirectory; types: TypeService },
  rule: Pick<Rule, 'trigger' | 'conditions' | 'actions'>,
  limit: number,
): Promise<DryRunReport> {
  const { db, contacts, directory, types } = deps;
  const ids = await candidateIds(rule, contacts);
  const usable = new Set((await types.list(true)).filter((t) => !t.archived).map((t) => t.id));
  const conditions = effectiveConditions(rule);
  const planTypes = actionTypeIds(rule);
  const report: DryRunReport = { candidates: ids.length, matched: 0, wouldChange: 0, skipped: 0, skipReasons: {}, resubscribesImportOptOuts: 0, items: [], truncated: false };
  const changing: DryRunItem[] = [];
  const skipped: DryRunItem[] = [];
  for (let offset = 0; offset < ids.length; offset += CHUNK) {
    const matched = [];
    for (const id of ids.slice(offset, offset + CHUNK)) {
      const row = directory.get(id);
      if (!row) continue;
      const contact = snapshotOf(row);
      if (conditionHolds(conditions, factsFor(contact, directory, usable))) matched.push(contact);
    }
    report.matched += matched.length;
    const rows = await loadRows(db, matched.map((c) => c.id), planTypes);
    // The last event of each opt-out this chunk would turn into a subscription, per contact.
    const optOutEvents = new Map<string, string[]>();
    for (const contact of matched) {
      const facts = factsFor(contact, directory, usable, rows);
      const plan = planActions(rule.actions, facts);
      const item = (): DryRunItem => ({
        contactId: contact.id,
        contactName: contact.name,
        changes: plan.changes.map(viewOf),
        skips: plan.skips,
        facts: factsShown(conditions, facts),
      });
      for (const c of plan.changes) {
        if (c.kind !== 'status' || c.from !== 'unsubscribed' || c.to !== 'subscribed') continue;
        const lastEventId = rows.get(stateId(contact.id, c.typeId))?.lastEventId;
        if (lastEventId) optOutEvents.set(contact.id, [...(optOutEvents.get(contact.id) ?? []), lastEventId]);
      }
      if (plan.changes.length) {
        report.wouldChange += 1;
        if (changing.length < limit) changing.push(item());
      } else {
        report.skipped += 1;
        for (const s of plan.skips) report.skipReasons[s.reason] = (report.skipReasons[s.reason] ?? 0) + 1;
        if (skipped.length < limit) skipped.push(item());
      }
    }
    if (optOutEvents.size > 0) {
      const events = await db.consent_events.findByIds([...optOutEvents.values()].flat()).exec();
      for (const eventIds of optOutEvents.values()) if (eventIds.some((id) => events.get(id)?.source === 'csv_import')) report.resubscribesImportOptOuts += 1;
    }
    if (offset + CHUNK < ids.length) await yieldToEventLoop();
  }
  report.items = [...changing, ...skipped].slice(0, limit);
  report.truncated = report.wouldChange + report.skipped > report.items.length;
  return report;
}
