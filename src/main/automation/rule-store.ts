import { ulid } from 'ulid';
import { ALL_WHATSAPP_TYPE_ID, type User } from '../../shared/domain';
import type { Rule, RuleCondition, RuleDefinition } from '../../shared/automation/rule-model';
import { AppError } from '../app-error';
import type { AuditLog } from '../audit/audit-log';
import type { AppDatabase } from '../store/database';
import type { RuleDoc } from '../store/schemas/rule-schemas';
import type { TypeService } from '../subscription-types/type-service';
import { changedFields, stampFields } from '../sync/field-clock';

// Rules as replicated documents. Every save is a new version; the full definition of
// each version goes to the (shared, append-only) audit log, so an event that names
// "rule X version 3" can always be explained.
export type RuleStore = {
  list(): Promise<Rule[]>;
  get(id: string): Promise<Rule>;
  save(input: { id: string; baseVersion: number; rule: RuleDefinition }, user: User): Promise<Rule>;
  setEnabled(id: string, enabled: boolean, user: User): Promise<Rule>;
};

const DEFINITION_FIELDS = ['name', 'trigger', 'conditions', 'actions'] as const;

export const ruleFromDoc = (doc: { toMutableJSON(): unknown }): Rule => {
  const { fieldClock, ...rule } = doc.toMutableJSON() as RuleDoc;
  void fieldClock;
  return rule;
};

const typeIdsOf = (rule: RuleDefinition): string[] => {
  const ids = new Set<string>();
  const walk = (c: RuleCondition) => {
    if (c.kind === 'group') c.children.forEach(walk);
    else if (c.kind === 'status') ids.add(c.typeId);
  };
  walk(rule.conditions);
  for (const a of rule.actions) if (a.kind === 'set_status') ids.add(a.typeId);
  if (rule.trigger.kind === 'run_now' && rule.trigger.typeId) ids.add(rule.trigger.typeId);
  ids.delete(ALL_WHATSAPP_TYPE_ID);
  return [...ids];
};

export function createRuleStore(deps: { db: AppDatabase; types: TypeService; audit: AuditLog; now: () => Date; deviceId: string }): RuleStore {
  const { db, types, now, deviceId } = deps;

  const docOrThrow = async (id: string) => {
    const doc = await db.rules.findOne(id).exec();
    if (!doc) throw new AppError('not_found', 'No such rule.');
    return doc;
  };

  const audit = async (change: 'saved' | 'enabled' | 'disabled', user: User, rule: Rule) => {
    await deps.audit.record('rules.change', user, {
      change,
      ruleId: rule.id,
      ruleVersion: rule.version,
      definition: { name: rule.name, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions },
    });
  };

  const assertTypesExist = async (rule: RuleDefinition) => {
    const known = new Set((await types.list(true)).map((t) => t.id));
    const missing = typeIdsOf(rule).filter((id) => !known.has(id));
    if (missing.length) throw new AppError('not_found', `The rule names a subscription type that does not exist: ${missing.join(', ')}.`);
  };

  return {
    async list() {
      const docs = await db.rules.find().exec();
      return docs.map(ruleFromDoc).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },
    async get(id) {
      return ruleFromDoc(await docOrThrow(id));
    },
    async save(input, user) {
      await assertTypesExist(input.rule);
      const at = now().toISOString();
      if (!input.id) {
        const rule: Rule = { id: ulid(), version: 1, enabled: false, createdAt: at, updatedAt: at, updatedBy: user.id, ...input.rule };
        await db.rules.insert({ ...rule, fieldClock: stampFields(undefined, [...DEFINITION_FIELDS, 'enabled'], at, deviceId) });
        await audit('saved', user, rule);
        return rule;
      }
      const doc = await docOrThrow(input.id);
      const current = ruleFromDoc(doc);
      if (input.baseVersion !== 0 && input.baseVersion !== current.version) {
        throw new AppError('conflict', `This rule was changed since you opened it (now version ${current.version}). Reload it and make your change again.`, {
          version: current.version,
        });
      }
      const patch = { ...input.rule };
      const changed = changedFields(current, patch);
      if (changed.length === 0) return current;
      const saved = await doc.incrementalPatch({
        ...patch,
        version: current.version + 1,
        updatedAt: at,
        updatedBy: user.id,
        fieldClock: stampFields(doc.fieldClock, [...changed, 'version'], at, deviceId),
      });
      const rule = ruleFromDoc(saved);
      await audit('saved', user, rule);
      return rule;
    },
    async setEnabled(id, enabled, user) {
      const doc = await docOrThrow(id);
      if (doc.enabled === enabled) return ruleFromDoc(doc);
      const at = now().toISOString();
      const saved = await doc.incrementalPatch({ enabled, updatedAt: at, updatedBy: user.id, fieldClock: stampFields(doc.fieldClock, ['enabled'], at, deviceId) });
      const rule = ruleFromDoc(saved);
      await audit(enabled ? 'enabled' : 'disabled', user, rule);
      return rule;
    },
  };
}
