import { createHash } from 'node:crypto';
import type { ContactSnapshot } from '../../shared/automation/rule-evaluator';
import type { RuleTrigger } from '../../shared/automation/rule-model';

// Trigger ids are derived only from data every device sees identically (the replicated
// contact document, the message id, the import id, a run id), so the same trigger handled
// on two devices yields the same consent event ids: one event, not two.

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 20);

export const createdTriggerId = () => 'created';

// A property change is named by the contact document's write time, the field and its new value.
export function propertyTriggerId(trigger: Extract<RuleTrigger, { kind: 'property_changed' }>, after: ContactSnapshot & { updatedAt: string }): string {
  const value = trigger.target === 'tags' ? [...after.tags].sort().join('\u0001') : trigger.target === 'property' ? (after.properties[trigger.property] ?? '') : after[trigger.target];
  return `chg:${short(`${after.updatedAt}\u0000${trigger.target}\u0000${trigger.property}\u0000${value}`)}`;
}

export const messageTriggerId = (inboundId: string) => (inboundId.startsWith('msg:') ? inboundId : `msg:${inboundId}`);
export const importTriggerId = (importId: string) => `import:${importId}`;
export const runTriggerId = (runId: string) => `run:${runId}`;
// One term of one subscription: a renewed consent has a new end, so it can fire again.
export const expiryTriggerId = (typeId: string, expiresAt: string) => `expiry:${typeId}:${expiresAt}`;

// The consent event id of a rule's change; long message ids are shortened to fit the store.
export function ruleEventId(ruleId: string, version: number, triggerId: string, contactId: string, typeId: string): string {
  const id = `rule:${ruleId}:${version}:${triggerId}:${contactId}:${typeId}`;
  return id.length <= 300 ? id : `rule:${ruleId}:${version}:h${short(triggerId)}:${contactId}:${typeId}`;
}
