import { afterEach, describe, expect, it } from 'vitest';
import { CHAIN_HEAD_ACTION, checkChainHead, headOfEntry } from '../../../src/main/device/chain-heads';
import type { ConsentChange } from '../../../src/main/ledger/ledger-service';
import { queryPlain } from '../../../src/main/store/plain-documents';
import { createChainHeadPublisher } from '../../../src/main/sync/chain-head-publisher';
import type { SignedChainHead } from '../../../src/shared/api/history-channels';
import { openTestApp, quietLog, type TestApp } from '../../helpers/temp-app';

// When a device publishes its signed chain head: only over events the server took, the first
// time a session's pushes settle, then at most once per interval, and once more at the stop.
let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const BUSINESS = { businessNumber: '+48 22 123 45 67', phoneNumberId: '1000001', businessName: 'Sklep' };

async function setUp() {
  const opened = await openTestApp();
  app = opened;
  const admin = await opened.signIn('admin');
  const type = await opened.must(admin, 'types:create', { name: 'Marketing', purpose: 'marketing', ...BUSINESS });
  const contact = await opened.must(admin, 'contacts:create', { name: 'Jan', phoneInput: '+48 601 234 567' });
  const change = (i: number): ConsentChange => ({
    contactId: contact.id, typeId: type.id, status: i % 2 ? 'unsubscribed' : 'subscribed', source: 'manual', legalBasis: 'consent_with_notice',
    explanation: `#${i}`, actor: { kind: 'user', id: admin.userId ?? '', name: 'Admin' }, evidence: {},
  });
  const { inserted } = await opened.services.ledger.append([1, 2, 3, 4].map(change));
  return { app: opened, events: inserted };
}

const publishedHeads = async (a: TestApp): Promise<SignedChainHead[]> =>
  (await queryPlain(a.services.db.audit_log, { selector: { action: CHAIN_HEAD_ACTION } }))
    .flatMap((entry) => {
      const found = headOfEntry(entry);
      return 'head' in found ? [found.head] : [];
    })
    .sort((x, y) => x.seq - y.seq);

describe('chain head publisher', () => {
  it('publishes over pushed events only, at most once per interval, and what is left when sync stops', async () => {
    const { app: a, events } = await setUp();
    const { db, deviceId, trust, now } = a.services;
    const publisher = () => createChainHeadPublisher({ db, deviceId, sign: trust.sign, now, log: quietLog, intervalMs: 60 * 60_000 });
    const first = publisher();
    const [e1, e2, e3, e4] = events;
    if (!e1 || !e2 || !e3 || !e4) throw new Error('four events expected');

    first.sessionStarted();
    first.pushed(e1);
    first.pushed(e2);
    // Another device's event, and junk, move nothing.
    first.pushed({ ...e4, deviceId: 'dev-0f0f0f0f0f0f0f0f', seq: 99 });
    first.pushed(null);
    first.pushed({ deviceId, seq: 'x' });
    first.roundEnded();
    await first.settled();
    let heads = await publishedHeads(a);
    expect(heads.map((h) => [h.seq, h.hash])).toEqual([[e2.seq, e2.hash]]);
    const registry = await trust.registry();
    expect(heads.every((h) => checkChainHead(h, registry).ok)).toBe(true);

    // Within the interval: held back.
    first.pushed(e3);
    first.roundEnded();
    await first.settled();
    expect((await publishedHeads(a)).map((h) => h.seq)).toEqual([e2.seq]);

    // Sync stops: what the server took is published; e4, never pushed, is not.
    await first.flush();
    heads = await publishedHeads(a);
    expect(heads.map((h) => h.seq)).toEqual([e2.seq, e3.seq]);
    first.close();

    // A new session (the app restarted) remembers what it published, and publishes at once.
    const second = publisher();
    second.sessionStarted();
    second.pushed(e3);
    second.roundEnded();
    await second.settled();
    expect((await publishedHeads(a)).map((h) => h.seq)).toEqual([e2.seq, e3.seq]);
    second.pushed(e4);
    second.roundEnded();
    await second.settled();
    expect((await publishedHeads(a)).map((h) => h.seq)).toEqual([e2.seq, e3.seq, e4.seq]);
    second.close();
  });
});
