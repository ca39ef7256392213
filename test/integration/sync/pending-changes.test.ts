import { afterEach, describe, expect, it } from 'vitest';
import { trackPendingChanges } from '../../../src/main/sync/pending-changes';
import { openTestApp, type TestApp } from '../../helpers/temp-app';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

// The count the sync status shows as "pending", over a real store (no server needed: the
// tracker is told of the replication's rounds of work as the sync session would tell it).
describe('pending changes', () => {
  it('settles, when a round of work ends, only the writes made before that round began', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    const pending = trackPendingChanges(app.services.db, () => undefined, () => true);
    try {
      await app.must(admin, 'contacts:create', { name: 'Before' });
      expect(pending.count()).toBe(1);

      pending.roundStarted('contacts');
      // Written while the round runs: RxDB may only see it after the round's end.
      const during = await app.must(admin, 'contacts:create', { name: 'During' });
      pending.settled('contacts');
      expect(pending.count()).toBe(1);

      // Rewriting a settled document counts again; other collections' rounds do not settle it.
      await app.must(admin, 'contacts:update', { id: during.id, email: 'during@example.pl' });
      pending.roundStarted('consent_events');
      pending.settled('consent_events');
      expect(pending.count()).toBe(1);

      pending.roundStarted('contacts');
      pending.settled('contacts');
      expect(pending.count()).toBe(0);
    } finally {
      pending.close();
    }
  });

  it('counts nothing while sync is not set up', async () => {
    app = await openTestApp();
    const admin = await app.signIn('admin');
    const pending = trackPendingChanges(app.services.db, () => undefined, () => false);
    try {
      await app.must(admin, 'contacts:create', { name: 'Offline for good' });
      expect(pending.count()).toBe(0);
    } finally {
      pending.close();
    }
  });
});
