import { cpSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealEvent } from '../../../src/main/consent/event-hash';
import { insertDocuments } from '../../../src/main/store/insert-documents';
import type { ConsentEvent } from '../../../src/shared/domain';
import { makeTempDir, openTestApp } from '../../helpers/temp-app';

// A ledger written by the version before signatures (see the fixture's README), opened by this one.
const FIXTURE = resolve('test/fixtures/legacy-unsigned-ledger');

describe('a ledger written before devices signed', () => {
  it('keeps verifying: its events are "legacy, unsigned"; new ones are signed; an unsigned one after the upgrade fails', async () => {
    const dataDir = makeTempDir();
    for (const name of readdirSync(FIXTURE)) if (name !== 'README.md') cpSync(join(FIXTURE, name), join(dataDir, name));
    const app = await openTestApp({ dataDir });
    try {
      const [admin] = await app.must({ userId: null }, 'users:list', {});
      expect(admin?.name).toBe('Admin');
      const session = await app.signInAs(admin?.id ?? '');
      const before = (await app.services.db.consent_events.find().exec()).map((d) => d.toMutableJSON() as ConsentEvent);
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(before.every((e) => e.sig === undefined)).toBe(true);

      // No root of trust yet: nothing is enrolled, so the old events cannot be vouched for.
      expect(await app.must(session, 'devices:status', {})).toMatchObject({ status: 'not_enrolled', rootDeviceId: '' });
      const unvouched = await app.must(session, 'history:verify', {});
      expect(unvouched.signatures).toMatchObject({ signed: 0, legacyUnsigned: 0, failing: before.length });
      expect(unvouched.ok).toBe(false);

      // An admin makes this device the root: its unsigned events up to the upgrade are legacy.
      expect(await app.must(session, 'devices:becomeRoot', {})).toMatchObject({ status: 'enrolled', root: true });
      const upgraded = await app.must(session, 'history:verify', {});
      expect(upgraded).toMatchObject({ ok: true, signatures: { signed: 0, legacyUnsigned: before.length, failing: 0 } });
      expect(upgraded.counts).toEqual({ altered: 0, removed: 0, inserted: 0, reordered: 0 });

      // Everything from now on is signed, and the chain goes on from the legacy head.
      const contactId = before[0]?.contactId ?? '';
      const typeId = before[0]?.typeId ?? '';
      const [current] = await app.services.ledger.statesForContact(contactId);
      const next = await app.must(session, 'consent:change', {
        contactId, typeId, action: current?.status === 'subscribed' ? 'unsubscribe' : 'resubscribe',
        legalBasis: 'consent_with_notice', explanation: 'after the upgrade', basedOn: current?.lastEventId ?? '',
      });
      expect(next.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(next.seq).toBe(before.length + 1);
      expect((await app.must(session, 'history:verify', {})).signatures).toMatchObject({ signed: 1, legacyUnsigned: before.length, failing: 0 });

      // An unsigned event after the upgrade point (what a tampered store or an old copy of the
      // app would add) is not legacy.
      const { hash: _h, prevHash: _p, sig: _s, ...content } = next;
      const unsigned = sealEvent({ ...content, id: 'unsigned-after-upgrade', seq: next.seq + 1 }, next.hash);
      await insertDocuments(app.services.db.consent_events, [unsigned]);
      const tampered = await app.must(session, 'history:verify', {});
      expect(tampered.ok).toBe(false);
      expect(tampered.signatures.problems).toEqual([expect.objectContaining({ eventId: 'unsigned-after-upgrade', reason: 'unsigned' })]);
    } finally {
      await app.dispose();
    }
  });
});
