import { vi } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import type { ChannelInput } from '../../../src/shared/api';
import type { RuleRun } from '../../../src/shared/api/automation-channels';
import type { ConsentEvent } from '../../../src/shared/domain';
import type { TestApp } from '../../helpers/temp-app';
import { BUSINESS } from '../../helpers/webhook';

export type RuleInput = ChannelInput<'rules:save'>['rule'];

export async function createTypes(app: TestApp, admin: Session) {
  const base = { businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep Kowalski' };
  const marketing = await app.must(admin, 'types:create', { ...base, name: 'WhatsApp marketing', purpose: 'marketing' });
  const transactional = await app.must(admin, 'types:create', { ...base, name: 'WhatsApp orders', purpose: 'transactional' });
  return { marketingId: marketing.id, transactionalId: transactional.id };
}

// The example: a contact who becomes a customer and has a valid number gets
// transactional messages on the basis of the contract.
export const customerRule = (transactionalId: string, name = 'Customers get order updates'): RuleInput => ({
  name,
  trigger: { kind: 'property_changed', target: 'property', property: 'lifecycle_stage', toValue: 'customer' },
  conditions: { kind: 'group', op: 'and', children: [{ kind: 'phone_valid', valid: true }] },
  actions: [{ kind: 'set_status', typeId: transactionalId, status: 'subscribed', legalBasis: 'performance_of_contract', explanation: 'Became a customer' }],
});

export async function saveEnabled(app: TestApp, admin: Session, rule: RuleInput) {
  const saved = await app.must(admin, 'rules:save', { rule });
  return app.must(admin, 'rules:setEnabled', { id: saved.id, enabled: true });
}

// Triggers arrive through change streams: wait for what they lead to, never a fixed time.
export async function waitForRuns(app: TestApp, admin: Session, ruleId: string, count: number): Promise<RuleRun[]> {
  await vi.waitFor(
    async () => {
      const runs = await app.must(admin, 'rules:runs', { ruleId });
      if (runs.length < count) throw new Error(`${runs.length} of ${count} runs so far`);
    },
    { timeout: 10_000, interval: 20 },
  );
  await app.services.automation.idle();
  return app.must(admin, 'rules:runs', { ruleId });
}

export async function workflowEvents(app: TestApp): Promise<ConsentEvent[]> {
  await app.services.ledger.settled();
  return (await app.services.db.consent_events.find({ selector: { source: 'workflow' } }).exec()).map((d) => d.toMutableJSON() as ConsentEvent);
}
