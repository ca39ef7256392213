import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/main/api/handler-types';
import { RETAINED_REVIEW_SUMMARY } from '../../../src/main/erasure/retention-scrub';
import { getRxStorageSQLite } from '../../../src/main/store/rx-storage-sqlite';
import { createQuarantineStore } from '../../../src/main/sync/quarantine-store';
import type { ConsentEvent } from '../../../src/shared/domain';
import { scanBytes } from '../../helpers/byte-scan';
import { makeTempDir, openAppWithMarketing, openTestApp, type TestApp } from '../../helpers/temp-app';
import { buttonMessage, textMessage, webhook } from '../../helpers/webhook';

// Retention reaches every copy of an old message's text: the inbound message, the consent
// events made from it (through their salted digests: the ledger still verifies) and the
// review item raised from it. Newer messages keep theirs.
let app: TestApp;
let admin: Session;
let clock = new Date('2026-01-10T12:00:00.000Z');
const apps: TestApp[] = [];
const at = (iso: string) => Date.parse(iso) / 1000;

const REVIEW_TEXT = 'Proszę przestańcie pisać, mój PIN 4321 Żółw';
const BUTTON_TEXT = 'Stop promotions Quokka';
const NEW_TEXT = 'Proszę przestańcie pisać do mnie, Kangur';

// The data file is unencrypted on purpose: retention must remove the bytes, not rely on the
// encryption at rest to hide them.
beforeEach(async () => {
  clock = new Date('2026-01-10T12:00:00.000Z');
  const dataDir = makeTempDir();
  ({ app, admin } = await openAppWithMarketing({ dataDir, storage: getRxStorageSQLite({ directory: dataDir }), now: () => clock }));
  apps.push(app);
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose().catch(() => undefined);
});

const events = async () => (await app.services.db.consent_events.find().exec()).map((d) => d.toMutableJSON() as ConsentEvent);
const byMessage = async (messageId: string) => (await events()).filter((e) => e.id.startsWith(`msg:${messageId}:`));
const review = async (messageId: string) => (await app.services.db.review_items.findOne(`review:msg:${messageId}`).exec())?.toMutableJSON();

describe('retention of message text in events and review items', () => {
  it('removes the text of old messages from their events and review items; verify stays ok and names it retention', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.R1', 'START', at('2026-01-01T10:00:00Z'))]) });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.R2', REVIEW_TEXT, at('2026-01-02T10:00:00Z'))]) });
    await app.must(admin, 'messages:ingest', { payload: webhook([buttonMessage('wamid.R3', 'STOP_PROMOTIONS', BUTTON_TEXT, at('2026-01-03T10:00:00Z'))]) });
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.R4', NEW_TEXT, at('2026-01-09T10:00:00Z'))]) });
    const [optIn] = await byMessage('wamid.R1');
    const [buttonStop] = await byMessage('wamid.R3');
    expect(optIn?.evidence.messageText).toBe('START');
    expect(optIn?.explanation).toContain('START');
    expect(buttonStop?.evidence.buttonText).toBe(BUTTON_TEXT);
    expect((await review('wamid.R2'))?.evidence.messageText).toBe(REVIEW_TEXT);
    expect((await review('wamid.R4'))?.evidence.messageText).toBe(NEW_TEXT);
    // The scan sees the texts while they are held (a scan that cannot find anything proves nothing).
    expect(scanBytes(app.dataDir, [REVIEW_TEXT, BUTTON_TEXT]).map((h) => h.needle)).toEqual(expect.arrayContaining([REVIEW_TEXT, BUTTON_TEXT]));

    await app.must(admin, 'lifecycle:setSettings', { inboundRetentionDays: 5 });
    const result = await app.must(admin, 'lifecycle:applyRetention', {});
    expect(result).toEqual({ cutoff: '2026-01-05T12:00:00.000Z', cleared: 3, events: 2, legacyEvents: 0, reviewItems: 1 });

    const [optInAfter] = await byMessage('wamid.R1');
    expect(optInAfter).toMatchObject({ id: optIn?.id, hash: optIn?.hash, status: 'subscribed', explanation: '', evidence: { messageText: '', keyword: optIn?.evidence.keyword, messageId: 'wamid.R1' } });
    expect(optInAfter?.personal?.['evidence/messageText']).toEqual({ d: optIn?.personal?.['evidence/messageText']?.d });
    // The contact's name is not message text: it stays, with its salt.
    expect(optInAfter?.actor.name).toBe(optIn?.actor.name);
    expect(optInAfter?.personal?.['actor/name']?.s).toBeDefined();
    const [buttonAfter] = await byMessage('wamid.R3');
    expect(buttonAfter?.evidence).toMatchObject({ buttonText: '', buttonPayload: '', template: buttonStop?.evidence.template });
    const retained = await review('wamid.R2');
    expect(retained).toMatchObject({ summary: RETAINED_REVIEW_SUMMARY, evidence: { messageText: '', messageId: 'wamid.R2' } });
    expect(JSON.stringify(retained)).not.toContain('PIN 4321');
    // The newer message keeps its text everywhere.
    expect((await review('wamid.R4'))?.evidence.messageText).toBe(NEW_TEXT);
    expect((await app.services.db.inbound_messages.findOne('msg:wamid.R4').exec())?.body).toBe(NEW_TEXT);

    const report = await app.must(admin, 'history:verify', {});
    expect(report).toMatchObject({ ok: true, issues: [] });
    expect(report.erased).toEqual({ contacts: 0, events: 0, retention: 2 });
    // A second sweep has nothing left to do.
    expect(await app.must(admin, 'lifecycle:applyRetention', {})).toMatchObject({ cleared: 0, events: 0, reviewItems: 0 });

    const dir = app.dataDir;
    await app.close();
    expect(scanBytes(dir, [REVIEW_TEXT, BUTTON_TEXT, 'PIN 4321', 'Quokka'])).toEqual([]);
    expect(scanBytes(dir, [NEW_TEXT]).length).toBeGreaterThan(0);
    const reopened = await openTestApp({ dataDir: dir, storage: getRxStorageSQLite({ directory: dir }) });
    apps.push(reopened);
    const again = await reopened.signInAs(admin.userId ?? '');
    expect(await reopened.must(again, 'history:verify', {})).toMatchObject({ ok: true, erased: { retention: 2 } });
  });

  it('copies sync kept aside lose the text too', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.Q1', REVIEW_TEXT, at('2026-01-02T10:00:00Z'))]) });
    await app.must(admin, 'messages:ingest', { payload: webhook([buttonMessage('wamid.Q2', 'STOP_PROMOTIONS', BUTTON_TEXT, at('2026-01-03T10:00:00Z'))]) });
    const [event] = await byMessage('wamid.Q2');
    const item = await review('wamid.Q1');
    // As the arrival checks keep a copy aside (another device's copy of the same records).
    const quarantine = createQuarantineStore(app.services.db);
    const aside = { reason: 'malformed' as const, detail: 'test copy', waitingFor: '', lastCheckedAt: clock.toISOString(), bytes: 1, excerpt: '' };
    await quarantine.put({ ...aside, collection: 'consent_events', docId: event?.id ?? '', doc: { ...event } });
    await quarantine.put({ ...aside, collection: 'review_items', docId: item?.id ?? '', doc: { ...item } });
    expect(JSON.stringify(await quarantine.all())).toContain('Quokka');

    await app.must(admin, 'lifecycle:setSettings', { inboundRetentionDays: 5 });
    expect(await app.must(admin, 'lifecycle:applyRetention', {})).toMatchObject({ cleared: 2, events: 2, reviewItems: 2 });
    const held = JSON.stringify(await quarantine.all());
    expect(held).not.toContain('Quokka');
    expect(held).not.toContain('PIN 4321');
    expect(held).toContain(RETAINED_REVIEW_SUMMARY);
  });

  it('a message cleared before events were covered still has its events cleared; an erased contact is counted as erased, not retention', async () => {
    await app.must(admin, 'messages:ingest', { payload: webhook([textMessage('wamid.P1', 'START', at('2026-01-01T10:00:00Z'))]) });
    // As the previous version left it: the message's own text gone, its event untouched.
    const doc = await app.services.db.inbound_messages.findOne('msg:wamid.P1').exec();
    const payload: Record<string, unknown> = { ...doc?.toMutableJSON().payload, bodyRemovedAt: '2026-01-09T00:00:00.000Z' };
    delete payload.body;
    delete payload.profileName;
    await doc?.incrementalPatch({ body: '', payload });
    await app.must(admin, 'lifecycle:setSettings', { inboundRetentionDays: 5 });
    expect(await app.must(admin, 'lifecycle:applyRetention', {})).toMatchObject({ cleared: 0, events: 1 });
    expect((await byMessage('wamid.P1'))[0]?.evidence.messageText).toBe('');

    const contactId = (await byMessage('wamid.P1'))[0]?.contactId ?? '';
    const officer = await app.signIn('compliance_officer');
    await app.must(officer, 'erasure:eraseContact', { contactId, reason: 'Request' });
    const report = await app.must(admin, 'history:verify', {});
    expect(report).toMatchObject({ ok: true, erased: { contacts: 1, events: 1, retention: 0 } });
  });
});
