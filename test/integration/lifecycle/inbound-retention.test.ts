import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { openTestApp, type TestApp } from '../../helpers/temp-app';
import { BUSINESS, buttonMessage, textMessage, webhook } from '../../helpers/webhook';

// Inbound message bodies are removed after the retention period (default 90 days).
let app: TestApp;
let admin: Session;
let clock = new Date('2026-03-01T12:00:00.000Z');
const secondsAt = (iso: string) => Date.parse(iso) / 1000;

beforeEach(async () => {
  clock = new Date('2026-03-01T12:00:00.000Z');
  app = await openTestApp({ now: () => clock });
  admin = await app.signIn('admin');
  await app.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', businessNumber: '+48 22 123 45 67', phoneNumberId: BUSINESS.phoneNumberId, businessName: 'Sklep' });
});
afterEach(async () => {
  await app.dispose();
});

const inbound = async () => (await app.services.db.inbound_messages.find().exec()).map((d) => d.toMutableJSON()).sort((a, b) => a.id.localeCompare(b.id));

describe('inbound message retention', () => {
  it('removes the text of messages older than the period, keeps newer ones, and keeps consent as it was', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.old', 'Mój sekret: PIN 4321', secondsAt('2026-01-01T10:00:00Z'))], { name: 'Jan Prywatny' }) });
    await app.must(admin, 'messages:ingest', { payload: webhook([buttonMessage('wamid.oldbtn', 'STOP_PROMO', 'Stop promotions', secondsAt('2026-01-02T10:00:00Z'))]) });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.new', 'Nowa wiadomość', secondsAt('2026-02-27T10:00:00Z'))]) });
    const contactId = (await inbound())[0]?.contactId ?? '';
    const eventsBefore = (await app.must(admin, 'consent:history', { contactId })).total;

    // 2026-03-01 minus 90 days is 2025-12-01: nothing is old enough yet.
    expect(await app.must(admin, 'lifecycle:applyRetention', {})).toEqual({ cutoff: '2025-12-01T12:00:00.000Z', cleared: 0, events: 0, legacyEvents: 0, reviewItems: 0 });
    clock = new Date('2026-04-15T12:00:00.000Z');
    expect((await app.must(admin, 'lifecycle:applyRetention', {})).cleared).toBe(2);
    const [fresh, old, oldButton] = await inbound();
    expect(fresh).toMatchObject({ id: 'msg:wamid.new', body: 'Nowa wiadomość' });
    expect(old).toMatchObject({ id: 'msg:wamid.old', body: '', from: '+48601234567', receivedAt: '2026-01-01T10:00:00.000Z' });
    expect(old?.payload).toMatchObject({ messageId: 'wamid.old', bodyRemovedAt: '2026-04-15T12:00:00.000Z' });
    expect(JSON.stringify(old)).not.toContain('PIN 4321');
    expect(JSON.stringify(old)).not.toContain('Jan Prywatny');
    expect(JSON.stringify(oldButton)).not.toContain('Stop promotions');
    // Sweeping again finds nothing more; no event is added (retention-records.test.ts covers their text).
    expect((await app.must(admin, 'lifecycle:applyRetention', {})).cleared).toBe(0);
    expect((await app.must(admin, 'consent:history', { contactId })).total).toBe(eventsBefore);
    const verdict = await app.must(admin, 'history:verify', {});
    expect(verdict.ok).toBe(true);
  });

  it('follows the configured period, and only an admin runs it', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.m', 'Hello', secondsAt('2026-02-20T12:00:00Z'))]) });
    await app.must(admin, 'lifecycle:setSettings', { inboundRetentionDays: 7 });
    expect(await app.must(admin, 'lifecycle:applyRetention', {})).toMatchObject({ cutoff: '2026-02-22T12:00:00.000Z', cleared: 1, events: 0 });
    const officer = await app.signIn('compliance_officer');
    const r = await app.as(officer)('lifecycle:applyRetention', {});
    expect(r.ok ? '' : r.error.code).toBe('forbidden');
    const audit = await app.must(admin, 'audit:list', { action: 'lifecycle.retention', offset: 0, limit: 5 });
    expect(audit.entries[0]?.details).toMatchObject({ cleared: 1 });
  });
});
