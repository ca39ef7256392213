import { afterEach, describe, expect, it } from 'vitest';
import { startSilentFeedProxy, type SilentFeedProxy } from '../../helpers/couch-proxy';
import { awaitConvergence, SYNC_DB, waitFor } from '../../helpers/sync-devices';
import { useSyncTestBed } from '../../helpers/sync-test-bed';

const bed = useSyncTestBed();
let proxy: SilentFeedProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('a device whose live feed misses changes', () => {
  it('still receives them by reading from its checkpoint now and then', async () => {
    const b = await bed.open('B');
    proxy = await startSilentFeedProxy(bed.server().url);
    // A reaches the server only through the proxy, which swallows every live feed.
    const a = await bed.open('A', { start: false });
    await a.must('sync:setConfig', { url: proxy.url, database: SYNC_DB, username: '', password: '' });
    await a.must('sync:start', {});
    await waitFor('A has caught up and is waiting on its live feeds', async () =>
      (await a.status()).state === 'in_sync' && (proxy?.heldFeeds() ?? 0) > 0);

    // Made after A's first read: only a later read from the checkpoint can bring it.
    const made = await b.must('contacts:create', { name: 'Zofia', email: 'zofia@example.pl' });
    await b.appendEvents(made.id, 2);
    await awaitConvergence(bed.server(), [a, b], 20_000);
    expect((await a.contacts()).find((c) => c.id === made.id)).toMatchObject({ name: 'Zofia', email: 'zofia@example.pl' });
    expect(await a.eventCount()).toBe(2);
  });
});
