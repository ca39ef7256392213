import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openAppWithMarketing, type TestApp } from '../../helpers/temp-app';

// Refused may-I-message checks recorded as proof that the gate worked (a setting, off by default).
let app: TestApp;
let admin: Session;
let typeId: string;

beforeEach(async () => {
  ({ app, admin, typeId } = await openAppWithMarketing());
});
afterEach(async () => {
  await app.dispose();
});

describe('refused may-I-message checks', () => {
  it('are not recorded by default; once switched on every refusal is counted by reason, allowed checks are not', async () => {
    const jan = await app.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
    const bad = await app.must(admin, 'contacts:create', { name: 'Bad', phoneInput: '12' });
    expect(await app.must(admin, 'lifecycle:getSettings', {})).toEqual({ recordRefusedChecks: false, inboundRetentionDays: 90 });
    await app.must(admin, 'consent:mayMessage', { contactId: jan.id, typeId, category: 'marketing' });
    expect(await app.must(admin, 'lifecycle:refusedChecks', {})).toEqual({ total: 0, byReason: {}, recording: false });

    await app.must(admin, 'lifecycle:setSettings', { recordRefusedChecks: true });
    const agent = await app.signIn('field_agent', 'Agent Ola');
    await app.must(agent, 'consent:mayMessage', { contactId: jan.id, typeId, category: 'marketing' });
    await app.must(agent, 'consent:mayMessage', { contactId: jan.id, typeId, category: 'service' });
    await app.must(agent, 'consent:mayMessage', { contactId: bad.id, typeId, category: 'marketing' });
    await app.must(admin, 'consent:change', { contactId: jan.id, typeId, action: 'subscribe', legalBasis: 'consent_with_notice', explanation: 'Form', basedOn: '' });
    expect((await app.must(agent, 'consent:mayMessage', { contactId: jan.id, typeId, category: 'marketing' })).allowed).toBe(true);
    // Looking at the contact page is not a send attempt.
    await app.must(agent, 'consent:forContact', { contactId: bad.id });

    const counts = await app.must(agent, 'lifecycle:refusedChecks', {});
    expect(counts).toEqual({ total: 3, byReason: { not_subscribed: 1, no_inbound_message: 1, invalid_number: 1 }, recording: true });
    const audit = await app.must(admin, 'audit:list', { action: 'gate.refused', offset: 0, limit: 10 });
    expect(audit.entries).toHaveLength(3);
    expect(audit.entries.map((e) => e.actorName)).toEqual(['Agent Ola', 'Agent Ola', 'Agent Ola']);
    expect(audit.entries.map((e) => e.details.contactId).sort()).toEqual([bad.id, jan.id, jan.id].sort());
    expect(await app.must(agent, 'lifecycle:refusedChecks', { from: '2999-01-01' })).toMatchObject({ total: 0 });

    await app.must(admin, 'lifecycle:setSettings', { recordRefusedChecks: false });
    await app.must(agent, 'consent:mayMessage', { contactId: bad.id, typeId, category: 'marketing' });
    expect((await app.must(agent, 'lifecycle:refusedChecks', {})).total).toBe(3);
  });

  it('only an admin changes the settings, and bad values are refused without a change', async () => {
    const officer = await app.signIn('compliance_officer');
    const r = await app.as(officer)('lifecycle:setSettings', { recordRefusedChecks: true });
    expect(r.ok ? '' : r.error.code).toBe('forbidden');
    for (const input of [{ inboundRetentionDays: 0 }, { inboundRetentionDays: 2.5 }, { inboundRetentionDays: 99999 }, { recordRefusedChecks: 'yes' }, { other: 1 }]) {
      const res = await app.as(admin)('lifecycle:setSettings', input as never);
      expect(res.ok ? '' : res.error.code).toBe('invalid_input');
    }
    expect((await app.as(admin)('lifecycle:refusedChecks', { from: 'yesterday' })).ok).toBe(false);
    expect(await app.must(admin, 'lifecycle:getSettings', {})).toEqual({ recordRefusedChecks: false, inboundRetentionDays: 90 });
  });
});
