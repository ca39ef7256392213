import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { queryPlain } from '../../../src/main/store/plain-documents';
import type { ConsentEvent, User } from '../../../src/shared/domain';
import { makeTempDir, openTestApp, type TestApp } from '../../helpers/temp-app';

// A data folder written by the code before salted digests (test/fixtures/ledger-v1: an admin
// with TEST_SECRET, the Marketing type, contact "Zażółć Gęślą" subscribed on a paper form, then
// STOP by WhatsApp). Its events hash their values as before and keep verifying; new events on
// the same chain commit to salted digests.
const FIXTURE = join(__dirname, '../../fixtures/ledger-v1');
const CONTACT_ID = '01M995TC6NTA8PFB0KJ7PJPP9F';
const TYPE_ID = '01M995TC4FTAQ5XBH8DNY5FWA7';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const openFixture = async () => {
  const dir = makeTempDir('cd-ledger-v1-');
  writeFileSync(join(dir, 'consentdesk.sqlite'), gunzipSync(readFileSync(join(FIXTURE, 'consentdesk.sqlite.gz'))));
  copyFileSync(join(FIXTURE, 'device-id'), join(dir, 'device-id'));
  copyFileSync(join(FIXTURE, 'start-page.json'), join(dir, 'start-page.json'));
  const opened = await openTestApp({ dataDir: dir });
  const users = await queryPlain<User>(opened.services.db.users, { selector: {} });
  const adminId = users.find((u) => u.role === 'admin')?.id ?? '';
  return { opened, admin: await opened.signInAs(adminId), dir };
};

describe('a ledger written before salted digests', () => {
  it('migrates, keeps verifying, and continues its chains with digest-committed events', async () => {
    const { opened, admin } = await openFixture();
    app = opened;
    const old = await queryPlain<ConsentEvent>(opened.services.db.consent_events, { selector: {} });
    expect(old.length).toBe(2);
    expect(old.every((e) => e.personal === undefined)).toBe(true);
    expect(old.some((e) => e.explanation === 'Formularz papierowy, sklep w Łodzi')).toBe(true);
    // A store from before enrolment has no root until an administrator makes this device it;
    // its events before the upgrade then count as "legacy, unsigned".
    await opened.must(admin, 'devices:becomeRoot', {});
    const first = await opened.must(admin, 'history:verify', {});
    expect(first).toMatchObject({ ok: true, events: 2, issues: [] });

    const stop = old.find((e) => e.status === 'unsubscribed');
    await opened.must(admin, 'consent:change', {
      contactId: CONTACT_ID, typeId: TYPE_ID, action: 'resubscribe', legalBasis: 'consent_with_notice',
      explanation: 'Asked again in the shop', basedOn: stop?.id ?? '', confirmOwnOptOut: true,
    });
    const all = await queryPlain<ConsentEvent>(opened.services.db.consent_events, { selector: {} });
    const fresh = all.find((e) => e.explanation === 'Asked again in the shop');
    expect(fresh?.personal?.explanation?.s).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh?.seq).toBe(3);
    expect(await opened.must(admin, 'history:verify', {})).toMatchObject({ ok: true, events: 3, issues: [] });

    // A v1 event whose value is changed is still caught, as before.
    const v1 = old.find((e) => e.explanation !== '');
    if (!v1) throw new Error('fixture has no explanation');
    await opened.services.db.consent_events.bulkUpsert([{ ...v1, explanation: 'changed' }]);
    const tampered = await opened.must(admin, 'history:verify', {});
    expect(tampered.ok).toBe(false);
    expect(tampered.issues.map((i) => i.eventId)).toContain(v1.id);
  });
});
