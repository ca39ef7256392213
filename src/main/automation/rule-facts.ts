import { ALL_WHATSAPP_TYPE_ID, type ConsentStateRow, type Contact } from '../../shared/domain';
import type { ContactFacts, ContactSnapshot, KeyState } from '../../shared/automation/rule-evaluator';
import type { Rule, RuleCondition, RuleDefinition } from '../../shared/automation/rule-model';
import type { ContactDirectory } from '../contacts/contact-directory';
import { stateId } from '../ledger/projection';
import type { AppDatabase } from '../store/database';

// Reading what the pure evaluator needs: contact snapshots and consent states.

export const snapshotOf = (c: Pick<Contact, 'id' | 'name' | 'email' | 'phoneValid' | 'properties'> & { tags: readonly string[] }): ContactSnapshot => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phoneValid: c.phoneValid,
  properties: c.properties ?? {},
  tags: c.tags ?? [],
});

// Conditions read the in-memory directory (fast over 100,000 contacts); the actions of a
// matched contact read the ledger's projection rows, which also carry `ownOptOut` and the
// last event id the change is based on.
export function factsFor(
  contact: ContactSnapshot,
  directory: ContactDirectory,
  usable: ReadonlySet<string>,
  rows?: ReadonlyMap<string, ConsentStateRow>,
): ContactFacts {
  return {
    contact,
    state(typeId): KeyState {
      const row = rows?.get(stateId(contact.id, typeId));
      if (row) return { status: row.status, ownOptOut: row.ownOptOut, lastEventId: row.lastEventId };
      return { status: rows ? 'not_specified' : directory.statusOf(contact.id, typeId), ownOptOut: false, lastEventId: '' };
    },
    typeUsable: (typeId) => usable.has(typeId),
  };
}

// Every type whose state the actions of a rule read.
export function actionTypeIds(rule: Pick<RuleDefinition, 'actions'>): string[] {
  const ids = new Set<string>([ALL_WHATSAPP_TYPE_ID]);
  for (const a of rule.actions) if (a.kind === 'set_status') ids.add(a.typeId);
  return [...ids];
}

export async function loadRows(db: AppDatabase, contactIds: readonly string[], typeIds: readonly string[]): Promise<Map<string, ConsentStateRow>> {
  const ids = contactIds.flatMap((c) => typeIds.map((t) => stateId(c, t)));
  const rows = new Map<string, ConsentStateRow>();
  if (ids.length === 0) return rows;
  for (const [id, doc] of await db.consent_state.findByIds(ids).exec()) rows.set(id, doc.toMutableJSON() as ConsentStateRow);
  return rows;
}

// A property-change rule checked outside its trigger (dry run, run now) looks at the
// contacts whose field already has the value the trigger waits for.
export function effectiveConditions(rule: Pick<Rule, 'trigger' | 'conditions'>): RuleCondition {
  const t = rule.trigger;
  if (t.kind !== 'property_changed' || t.toValue === '') return rule.conditions;
  return {
    kind: 'group',
    op: 'and',
    children: [{ kind: 'property', target: t.target, property: t.property, op: 'equals', value: t.toValue }, rule.conditions],
  };
}
